package dev.ferry.cli;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Prepares, on a background thread, what a transfer command needs before its first request and would otherwise
 * set up on the way to it: the JDK's cryptography providers (every request is signed with HMAC-SHA256; the
 * first {@code Mac} costs tens of milliseconds), the HTTP client's classes, the XML reader and the JSON mapper.
 * Started before the command line is parsed, so that work overlaps the parsing; on a short transfer it would
 * otherwise add a noticeable share of the run time.
 */
final class Warmup {
    private Warmup() {
    }

    /** Whether {@code command} (the first argument) is one whose start the warm-up shortens. */
    static boolean helps(String command) {
        return "download".equals(command) || "copy".equals(command) || "ls".equals(command);
    }

    static void inBackground() {
        Thread t = new Thread(Warmup::run, "ferry-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            mac.doFinal(new byte[1]);
            MessageDigest.getInstance("SHA-256").digest(new byte[1]);
            // without TLS: loading the trust store is left to a command that needs it
            HttpClients.shutdown(HttpClients.create(1, HttpClients.CONNECT_TIMEOUT, HttpClients.READ_TIMEOUT, false));
            S3Store.warmUp();
            CheckpointFiles.warmUp();
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException | LinkageError ignored) {
            // a warm-up is only an optimisation; the real use reports any problem
        }
    }
}
