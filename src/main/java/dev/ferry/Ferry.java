package dev.ferry;

import java.util.Locale;
import java.util.Map;

import dev.ferry.cli.FerryCommand;

/** Entry point: with arguments, the command line; without, the desktop app. */
public final class Ferry {
    private Ferry() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            String problem = displayProblem(System.getProperty("os.name", ""), System.getenv(),
                    System.getProperty("glass.platform"));
            if (problem != null) {
                System.err.println(problem);
                System.exit(2);
            }
            try {
                dev.ferry.app.FerryApp.launchApp(args);
            } catch (RuntimeException | LinkageError e) {
                System.err.println(launchProblem(e));
                System.exit(2);
            }
            return;
        }
        int code = FerryCommand.execute(args);
        System.out.flush();
        System.exit(code);
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
