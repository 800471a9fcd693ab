package dev.ferry.storage;

import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops a transfer's requests without waiting for them: every in-flight call registers an abort
 * action here, and {@link #cancel()} runs them all and wakes every retry back-off. One signal serves
 * all the parallel requests of one transfer. Thread-safe.
 */
public final class CancelSignal {
    private final Set<Runnable> aborts = ConcurrentHashMap.newKeySet();
    private final Object sleepLock = new Object();
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
        for (Runnable abort : aborts) {
            abort.run();
        }
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void throwIfCancelled() throws InterruptedIOException {
        if (cancelled) {
            throw new InterruptedIOException("cancelled");
        }
    }

    /** Registers an abort action; it runs at once if the signal is already cancelled. */
    public Registration register(Runnable abort) {
        aborts.add(abort);
        if (cancelled) {
            abort.run();
        }
        return () -> aborts.remove(abort);
    }

    /** Sleeps up to the given time, returning early (with an exception) when cancelled. */
    public void sleep(long millis) throws InterruptedIOException {
        sleepNanos(millis * 1_000_000L);
    }

    /** Nanosecond form of {@link #sleep(long)}. */
    public void sleepNanos(long nanos) throws InterruptedIOException {
        long deadline = System.nanoTime() + nanos;
        synchronized (sleepLock) {
            while (!cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    sleepLock.wait(left / 1_000_000L, (int) (left % 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
        }
        throw new InterruptedIOException("cancelled");
    }

    /** Undoes a {@link #register(Runnable)}. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
