package dev.ferry.cli;

/**
 * SIGINT and SIGTERM pause transfers gracefully (the checkpoint is saved and the command exits 3);
 * a second signal exits at once.
 */
final class Signals {
    private static volatile int count;

    private Signals() {
    }

    static void onStop(Runnable pause) {
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    if (count++ == 0) {
                        pause.run();
                    } else {
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                // the platform has no such signal; the default handling stays
            }
        }
    }
}
