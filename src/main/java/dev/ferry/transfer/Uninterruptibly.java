package dev.ferry.transfer;

import java.util.concurrent.CountDownLatch;

/**
 * Waits that an interrupt cannot cut short: a transfer's run must see its workers finish before it
 * closes their file or records their state. The interrupt is kept for the caller.
 */
final class Uninterruptibly {
    private Uninterruptibly() {
    }

    static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
