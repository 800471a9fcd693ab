package dev.ferry.cli;

import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * For a copy: builds the JSON mapper and loads the JDK's XML reader on a background thread while the copy sends
 * its first requests. Its first checkpoint is saved, and its first XML answers read, between creating the upload
 * and copying the first part, so their set-up would otherwise stand in the way of every part.
 *
 * <p>A download does without: the classes it needs, the JSON mapper's included, come from the class-data archive;
 * its first checkpoint is saved on the checkpoint thread, out of the parts' way; and on a machine of two cores a
 * second busy thread at start slowed its first request more than it saved.
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
