package dev.ferry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.ferry.app.instance.InstanceServer;
import dev.ferry.app.instance.SingleInstance;
import dev.ferry.app.instance.SingleInstance.Claim;
import dev.ferry.cli.FerryCommand;
import dev.ferry.transfer.checkpoint.FerryHome;

/**
 * Entry point. Without arguments, or with links only ({@code ferry s3://bucket/key}, what a desktop runs when a link
 * is opened with Ferry), the desktop app: the one already running takes the links, else a new window opens with
 * them. Anything else is the command line, whose commands are words ({@code download}, {@code ls}, …).
 */
public final class Ferry {
    /** How long a second start waits for an app that is still starting before it gives up. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private Ferry() {
    }

    public static void main(String[] args) {
        if (opensWindow(args)) {
            openWindow(List.of(args));
            return;
        }
        int code = FerryCommand.execute(args);
        System.out.flush();
        System.exit(code);
    }

    /** True for no arguments or only links: those open (or go to) the window; the rest is the command line. */
    static boolean opensWindow(String[] args) {
        return Arrays.stream(args).allMatch(Ferry::isLink);
    }

    static boolean isLink(String arg) {
        String a = arg.strip().toLowerCase(Locale.ROOT);
        return a.startsWith("s3://") || a.startsWith("tos://") || a.startsWith("http://") || a.startsWith("https://");
    }

    private static void openWindow(List<String> links) {
        Path home = FerryHome.dir();
        Claim claim;
        try {
            claim = SingleInstance.claim(home, links, PATIENCE);
        } catch (IOException | RuntimeException e) {
            System.err.println("Ferry cannot use its data folder " + home + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (claim instanceof Claim.HandedOver) {
            System.exit(0);
        }
        if (claim instanceof Claim.NoAnswer noAnswer) {
            System.err.println(noAnswer.message());
            System.exit(1);
        }
        InstanceServer server = ((Claim.First) claim).server();
        String problem = displayProblem(System.getProperty("os.name", ""), System.getenv(),
                System.getProperty("glass.platform"));
        if (problem != null) {
            server.close();
            System.err.println(problem + downloadHint(links));
            System.exit(2);
        }
        try {
            dev.ferry.app.FerryApp.launchApp(links, server);
        } catch (RuntimeException | LinkageError e) {
            server.close();
            System.err.println(launchProblem(e) + downloadHint(links));
            System.exit(2);
        }
    }

    /** For links given without a window to take them: how to download them on the command line. */
    static String downloadHint(List<String> links) {
        return links.isEmpty() ? "" : "\nTo download " + (links.size() == 1 ? "it" : "them") + " here: ferry download "
                + links.get(0) + (links.size() == 1 ? "" : " (one command per link)");
    }

    /**
     * Why the window cannot open here, or null: on Linux and the BSDs a display server must be named (DISPLAY
     * or WAYLAND_DISPLAY), unless a headless glass platform was chosen.
     */
    static String displayProblem(String osName, Map<String, String> env, String glassPlatform) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac") || glassPlatform != null) {
            return null;
        }
        if (isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"))) {
            return null;
        }
        return "Ferry's window needs a graphical display, and none was found (DISPLAY is not set).\n"
                + "The command line works without one: run 'ferry --help' (java -jar ferry.jar --help).";
    }

    /** What to tell a person whose window did not open: the toolkit's reason, and what usually fixes it. */
    static String launchProblem(Throwable e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String hint = reason.contains("GTK") ? "\nJavaFX draws with GTK 3 on Linux: install it (Debian and Ubuntu:"
                + " apt-get install libgtk-3-0) and start Ferry again." : "";
        return "Ferry's window could not open: " + reason + hint
                + "\nThe command line works without a window: run 'ferry --help' (java -jar ferry.jar --help).";
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
