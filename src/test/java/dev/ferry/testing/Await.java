package dev.ferry.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for real state (files, snapshots, checkpoints) instead of sleeping a fixed time. */
public final class Await {
    private static final Duration DEFAULT = Duration.ofSeconds(60);

    private Await() {
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after a minute. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, DEFAULT, condition);
    }

    public static void until(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
