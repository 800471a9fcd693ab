package dev.ferry.transfer.limit;

import java.io.InterruptedIOException;

import dev.ferry.storage.CancelSignal;

/**
 * A token bucket for bytes, in a hierarchy: a transfer's limiter has the global limiter as parent,
 * and bytes pass only when every limiter on the chain lets them. Rates change live.
 *
 * <p>Implemented as a virtual clock (GCRA): each limiter keeps the time at which its bucket will be
 * empty; a reservation of {@code n} bytes moves that time on by {@code n / rate} and waits until it
 * is no more than {@link #BURST_NANOS} ahead of now. Over any window W at most
 * {@code rate * (W + burst) + quantum} bytes pass, so callers should read in quanta of about
 * {@link #quantum(int)} bytes (50 ms at the strictest rate on the chain). Thread-safe.
 */
public final class RateLimiter {
    /** Tolerance of the bucket: how far ahead of the ideal schedule a burst may run. */
    static final long BURST_NANOS = 50_000_000L;
    private static final long QUANTUM_NANOS = 50_000_000L;
    private static final int MIN_QUANTUM = 1024;

    private final RateLimiter parent;
    private volatile long bytesPerSecond;
    private long emptyAt;

    public RateLimiter(RateLimiter parent, long bytesPerSecond) {
        this.parent = parent;
        setRate(bytesPerSecond);
    }

    /** A root limiter with no limit. */
    public static RateLimiter unlimited() {
        return new RateLimiter(null, 0);
    }

    /** A child of this limiter, limited to {@code bytesPerSecond} (0 = only the parent's limit). */
    public RateLimiter child(long bytesPerSecond) {
        return new RateLimiter(this, bytesPerSecond);
    }

    public RateLimiter parent() {
        return parent;
    }

    /** Bytes per second, 0 for unlimited. */
    public long rate() {
        return bytesPerSecond;
    }

    /** Changes the rate; waiting readers pick it up with their next quantum. 0 means unlimited. */
    public synchronized void setRate(long newBytesPerSecond) {
        if (newBytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        long old = bytesPerSecond;
        long now = System.nanoTime();
        if (old > 0 && newBytesPerSecond > 0 && emptyAt > now) {
            // rescale the reserved backlog to the new rate, so a raised limit takes effect at once
            emptyAt = now + (long) ((emptyAt - now) * ((double) old / newBytesPerSecond));
        } else if (newBytesPerSecond == 0 || old == 0) {
            emptyAt = now;
        }
        bytesPerSecond = newBytesPerSecond;
    }

    /** The strictest rate on the chain, 0 if none is limited. */
    public long effectiveRate() {
        long min = 0;
        for (RateLimiter l = this; l != null; l = l.parent) {
            long r = l.bytesPerSecond;
            if (r > 0 && (min == 0 || r < min)) {
                min = r;
            }
        }
        return min;
    }

    /**
     * How many bytes to read before the next {@link #acquire}: about 50 ms at the strictest rate, at least
     * 1 KiB, never more than {@code max}.
     */
    public int quantum(int max) {
        long rate = effectiveRate();
        if (rate == 0) {
            return max;
        }
        long q = rate / (1_000_000_000L / QUANTUM_NANOS);
        return (int) Math.min(max, Math.max(MIN_QUANTUM, q));
    }

    /** Blocks until {@code bytes} may pass every limiter on the chain. */
    public void acquire(long bytes, CancelSignal cancel) throws InterruptedIOException {
        for (RateLimiter l = this; l != null; l = l.parent) {
            long wait = l.reserve(bytes, System.nanoTime());
            if (wait > 0) {
                cancel.sleepNanos(wait);
            }
        }
    }

    /** Takes {@code bytes} from the bucket; returns how long the caller must wait before using them. */
    synchronized long reserve(long bytes, long now) {
        long rate = bytesPerSecond;
        if (rate <= 0) {
            return 0;
        }
        long start = Math.max(emptyAt, now);
        long cost = (long) (bytes * 1_000_000_000.0 / rate);
        emptyAt = start + cost;
        return Math.max(0, emptyAt - now - BURST_NANOS);
    }
}
