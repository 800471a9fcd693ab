package dev.ferry.transfer.event;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.TransferThreads;

/**
 * Delivers one transfer run's events and progress to its listener off the transfer's threads, one at a time
 * and in order, as {@link TransferListener} promises. Transfer threads only enqueue; they never wait for the listener.
 * Also computes rates and keeps the latest {@link Progress} for anyone who polls.
 */
public final class Notifier {
    /** How often progress is sampled and delivered. */
    public static final long TICK_MILLIS = 250;
    private static final double SMOOTHING_SECONDS = 5.0;

    /** Raw counters the notifier turns into a {@link Progress}. */
    public record Counters(TransferState state, long total, long done, long fetched, int partsDone,
                           int partsTotal) {
    }

    private final TransferListener listener;
    private final Supplier<Counters> counters;
    private final String name;
    private final ConcurrentLinkedQueue<TransferEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Progress> latest = new AtomicReference<>(Progress.initial());
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    /** Queued by {@link #finish}: everything queued before it is delivered first. Compared by identity. */
    private final TransferEvent end = TransferEvent.of(TransferEvent.Type.FAILED, "end of run");
    /** Whether a delivery task is queued or running; at most one is, so the listener is never called twice at once. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean tickDue = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean over;
    private volatile ScheduledFuture<?> ticks;
    private double smoothed = -1;
    private long lastSampleNanos;
    private long lastFetched;
    private Progress lastDelivered;

    public Notifier(String name, TransferListener listener, Supplier<Counters> counters) {
        this.listener = listener == null ? TransferListener.NONE : listener;
        this.counters = counters;
        this.name = "ferry-events-" + name;
    }

    /**
     * Starts delivering: events as they are emitted, progress every {@link #TICK_MILLIS}. Deliveries run on the
     * shared transfer threads ({@link TransferThreads}), one at a time and in order for this notifier.
     */
    public void start() {
        ticks = TransferThreads.timer().scheduleAtFixedRate(() -> {
            tickDue.set(true);
            kick();
        }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    public void emit(TransferEvent event) {
        queue.add(event);
        kick();
    }

    /** The most recent progress snapshot (updated every tick even without a listener). */
    public Progress latest() {
        return latest.get();
    }

    /**
     * Delivers what is queued, then the final progress, and stops. Waits at most {@code maxWaitMillis} for a slow
     * listener. The delivering thread is never interrupted: that would reach into whatever the listener is doing.
     */
    public void finish(long maxWaitMillis) {
        queue.add(end);
        kick();
        try {
            ended.await(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes sure a delivery task will look at the queue and the tick flag. */
    private void kick() {
        if (over || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            TransferThreads.start(name, this::drain);
        } catch (OutOfMemoryError | RejectedExecutionException noThread) {
            draining.set(false); // the next emit or tick tries again
        }
    }

    private void drain() {
        try {
            drainQueue();
        } catch (RuntimeException | Error unexpected) {
            // listeners' own errors are caught where they are called; this is the sampling or the queue itself
            draining.set(false); // a later emit or tick tries again
            throw unexpected;
        }
    }

    private void drainQueue() {
        while (true) {
            TransferEvent event;
            while ((event = queue.poll()) != null) {
                if (event == end) {
                    stop();
                    return;
                }
                deliver(event);
            }
            if (tickDue.getAndSet(false)) {
                tick(System.nanoTime());
            }
            draining.set(false);
            // an event or a tick that came after the last look but before the flag dropped needs a task too
            if (queue.isEmpty() && !tickDue.get() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void stop() {
        over = true;
        ScheduledFuture<?> t = ticks;
        if (t != null) {
            t.cancel(false);
        }
        Progress last = sample(System.nanoTime());
        safely(() -> listener.onProgress(last));
        ended.countDown();
    }

    /** Samples progress and delivers it when it changed. */
    private void tick(long now) {
        Progress p = sample(now);
        if (!p.equals(lastDelivered)) {
            lastDelivered = p;
            safely(() -> listener.onProgress(p));
        }
    }

    private void deliver(TransferEvent e) {
        safely(() -> listener.onEvent(e));
    }

    private Progress sample(long now) {
        Counters c = counters.get();
        window.addLast(new long[]{now, c.fetched()});
        while (window.size() > 2 && now - window.peekFirst()[0] > 1_000_000_000L) {
            window.removeFirst();
        }
        long[] first = window.peekFirst();
        double span = (now - first[0]) / 1e9;
        long rate = span > 0.05 ? (long) ((c.fetched() - first[1]) / span) : 0;
        if (lastSampleNanos != 0) {
            double dt = (now - lastSampleNanos) / 1e9;
            double instant = dt > 0 ? (c.fetched() - lastFetched) / dt : 0;
            double alpha = 1 - Math.exp(-dt / SMOOTHING_SECONDS);
            smoothed = smoothed < 0 ? instant : smoothed + alpha * (instant - smoothed);
        }
        lastSampleNanos = now;
        lastFetched = c.fetched();
        long smooth = smoothed < 0 ? rate : (long) smoothed;
        long left = c.total() < 0 ? -1 : c.total() - c.done();
        long eta = left < 0 || smooth <= 0 ? (left == 0 ? 0 : -1) : (long) Math.ceil((double) left / smooth);
        boolean running = c.state() == TransferState.TRANSFERRING || c.state() == TransferState.CONNECTING;
        Progress p = new Progress(c.state(), c.total(), c.done(), c.fetched(), running ? rate : 0,
                running ? smooth : 0, eta, c.partsDone(), c.partsTotal());
        latest.set(p);
        return p;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable ignored) {
            // a listener's failure (an exception or an assertion) must not disturb the transfer or other notifications
        }
    }
}
