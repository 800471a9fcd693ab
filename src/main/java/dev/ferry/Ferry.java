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
            dev.ferry.app.FerryApp.launchApp(args);
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

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }
}
