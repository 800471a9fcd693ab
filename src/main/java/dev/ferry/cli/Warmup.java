package dev.ferry.cli;

import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Set-up that a command's first request would otherwise wait for, done on a background thread beforehand.
 *
 * <p>For every command, while the command line is parsed: the JDK's security providers (the HTTP client asks for
 * all of them on its first call), its logging (the client's task runner has a logger) and the HTTP client's own
 * classes. The parsing takes a little longer for it, the first request comes sooner: in twelve alternating runs of
 * a 1 GiB download from a loopback server ({@code -Xlog:class+load} timestamps), the first response body arrived
 * at 0.180 s instead of 0.195 s (medians).
 *
 * <p>For a copy, also while its first requests are out: the JSON mapper and the JDK's XML reader. Its first
 * checkpoint is saved, and its first XML answers read, between creating the upload and copying the first part,
 * so their set-up would otherwise stand in the way of every part. A download does without those: the classes
 * it needs, the JSON mapper's included, come from the class-data archive; its first checkpoint is saved on the
 * checkpoint thread, out of the parts' way; and on a machine of two cores a second busy thread once its requests
 * are out slowed its first request more than it saved.
 */
final class Warmup {
    private Warmup() {
    }

    /** The set-up every command's first request needs, started while the command line is parsed. */
    static void platformInBackground() {
        start("ferry-warmup-platform", () -> {
            java.security.Security.getProviders();
            java.util.logging.LogManager.getLogManager();
            new okhttp3.OkHttpClient.Builder();
            okhttp3.HttpUrl.parse("http://localhost/");
        });
    }

    /** For a copy: the JSON mapper and the XML reader, started once its first requests are out. */
    static void inBackground() {
        start("ferry-warmup", () -> {
            CheckpointFiles.warmUp();
            S3Store.warmUp();
        });
    }

    private static void start(String name, ThrowingRunnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (java.io.IOException | RuntimeException | LinkageError ignored) {
                // a warm-up is only an optimisation; the real use reports any problem
            }
        }, name);
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    private interface ThrowingRunnable {
        void run() throws java.io.IOException;
    }
}
