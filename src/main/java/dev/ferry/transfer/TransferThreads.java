package dev.ferry.transfer;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads transfers run on: their workers, checkpointers and event deliveries take daemon threads from one
 * shared pool, which grows on demand and lets a thread go after a minute idle. A folder of a thousand small files
 * then reuses a handful of threads instead of starting and ending three for every file. A task runs under the name
 * it is given, so thread dumps stay readable; its thread goes back to the pool with its interrupt cleared and its
 * name restored.
 */
public final class TransferThreads {
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemons("ferry-pool-"));

    private TransferThreads() {
    }

    /**
     * Runs {@code task} on a pooled thread named {@code name}. Throws {@link OutOfMemoryError} (or
     * {@link java.util.concurrent.RejectedExecutionException}) when the platform refuses another thread.
     */
    public static void start(String name, Runnable task) {
        POOL.execute(() -> {
            Thread self = Thread.currentThread();
            String poolName = self.getName();
            self.setName(name);
            try {
                task.run();
            } finally {
                Thread.interrupted();
                self.setName(poolName);
            }
        });
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
