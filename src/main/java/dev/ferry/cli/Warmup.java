package dev.ferry.cli;

import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Builds the JSON mapper and loads the JDK's XML reader on a background thread while the command starts its
 * first requests: on a short transfer their set-up would otherwise add a noticeable share of the run time.
 */
final class Warmup {
    private Warmup() {
    }

    static void inBackground() {
        Thread t = new Thread(() -> {
            try {
                CheckpointFiles.warmUp();
                S3Store.warmUp();
            } catch (java.io.IOException | RuntimeException | LinkageError ignored) {
                // a warm-up is only an optimisation; the real use reports any problem
            }
        }, "ferry-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }
}
