package dev.ferry.transfer;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of {@link #BYTES} that carry bytes between sockets and files, kept for reuse: allocating and
 * zeroing a fresh one for every transfer costs more than the transfer itself when the files are small, and the
 * memory of a dropped one comes back only with a garbage collection.
 */
final class Buffers {
    static final int BYTES = 256 << 10;
    /** At most this many idle buffers are kept (8 MiB). */
    private static final int KEPT = 32;
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger FREE_COUNT = new AtomicInteger();

    private Buffers() {
    }

    /** A cleared buffer of {@link #BYTES}; give it back when done. */
    static ByteBuffer take() {
        ByteBuffer b = FREE.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(BYTES);
        }
        FREE_COUNT.decrementAndGet();
        return b.clear();
    }

    /** Returns a buffer taken from here; the caller must not use it afterwards. */
    static void give(ByteBuffer b) {
        if (FREE_COUNT.incrementAndGet() <= KEPT) {
            FREE.add(b.clear());
        } else {
            FREE_COUNT.decrementAndGet();
        }
    }
}
