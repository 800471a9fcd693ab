package dev.ferry.transfer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Hands workers runs of consecutive pending parts, so that one GET streams through many parts and
 * a connection never idles for a round trip between parts. When a worker runs out of work it takes the
 * back half of the largest run still in progress; the owner of that run stops at the new boundary.
 *
 * <p>When no whole part is left to take, an idle worker asks the {@link Splitter} to cut the part with the most
 * bytes still to come in two; the back half becomes a new part (a new index) and a run of its own, so no
 * transfer waits at 99% on one slow connection.
 *
 * <p>Parts are identified by index (0-based). A run never crosses a finished part, and a part that is
 * partly on disk only ever starts a run, so no byte already written is fetched again. Thread-safe.
 */
final class PartScheduler {
    /** Cuts a part in flight in two. */
    @FunctionalInterface
    interface Splitter {
        /**
         * Called with the scheduler's lock held. {@code inFlight}: the indexes of the parts being fetched as the
         * last part of their runs. Returns the index of a new part holding the back half of one of them, or -1.
         */
        int split(List<Integer> inFlight);
    }

    private final Splitter splitter;

    /** Consecutive parts {@code [current, last]} owned by one worker. */
    static final class Run {
        private int current;
        private int last;

        Run(int first, int last) {
            this.current = first;
            this.last = last;
        }

        synchronized int current() {
            return current;
        }

        synchronized int last() {
            return last;
        }

        @Override
        public synchronized String toString() {
            return "[" + current + ".." + last + "]";
        }
    }

    private final Deque<Run> queued = new ArrayDeque<>();
    private final List<Run> active = new ArrayList<>();

    /**
     * @param partCount number of parts
     * @param done      whether a part is finished
     * @param started   whether a part already has bytes on disk
     * @param workers   how many workers will ask for runs; pending work is split into at least that many runs
     *                  where possible
     */
    PartScheduler(int partCount, IntPredicate done, IntPredicate started, int workers) {
        this(partCount, done, started, workers, null);
    }

    /** @param splitter cuts parts in flight when nothing else is left (null: never) */
    PartScheduler(int partCount, IntPredicate done, IntPredicate started, int workers, Splitter splitter) {
        this.splitter = splitter;
        List<int[]> groups = new ArrayList<>();
        int first = -1;
        for (int i = 0; i < partCount; i++) {
            if (done.test(i)) {
                if (first >= 0) {
                    groups.add(new int[]{first, i - 1});
                    first = -1;
                }
            } else if (first < 0) {
                first = i;
            } else if (started.test(i)) {
                groups.add(new int[]{first, i - 1});
                first = i;
            }
        }
        if (first >= 0) {
            groups.add(new int[]{first, partCount - 1});
        }
        while (groups.size() < workers) {
            int widest = -1;
            for (int g = 0; g < groups.size(); g++) {
                int[] r = groups.get(g);
                if (r[1] > r[0] && (widest < 0 || r[1] - r[0] > groups.get(widest)[1] - groups.get(widest)[0])) {
                    widest = g;
                }
            }
            if (widest < 0) {
                break;
            }
            int[] r = groups.get(widest);
            int mid = r[0] + (r[1] - r[0] + 1) / 2;
            groups.set(widest, new int[]{r[0], mid - 1});
            groups.add(widest + 1, new int[]{mid, r[1]});
        }
        for (int[] g : groups) {
            queued.add(new Run(g[0], g[1]));
        }
    }

    /** The next run for an idle worker: a queued one, else the back half of the largest active run; null when none. */
    synchronized Run next() {
        Run run = queued.poll();
        if (run == null) {
            run = steal();
        }
        if (run == null) {
            run = split();
        }
        if (run != null) {
            active.add(run);
        }
        return run;
    }

    private Run split() {
        if (splitter == null) {
            return null;
        }
        List<Integer> inFlight = new ArrayList<>();
        for (Run r : active) {
            if (r.current() == r.last()) {
                inFlight.add(r.current());
            }
        }
        int index = inFlight.isEmpty() ? -1 : splitter.split(inFlight);
        return index < 0 ? null : new Run(index, index);
    }

    private Run steal() {
        Run victim = null;
        int most = 0;
        for (Run r : active) {
            int unstarted = r.last() - r.current();
            if (unstarted > most) {
                most = unstarted;
                victim = r;
            }
        }
        if (victim == null) {
            return null;
        }
        synchronized (victim) {
            int take = Math.max(1, (victim.last - victim.current) / 2);
            Run stolen = new Run(victim.last - take + 1, victim.last);
            victim.last -= take;
            return stolen;
        }
    }

    /**
     * Called by the owner when the run's current part is finished. Returns true when the run goes on with
     * the next part, false when the run is over (its end reached, or its remaining parts taken by another
     * worker).
     */
    synchronized boolean advance(Run run) {
        synchronized (run) {
            if (run.current >= run.last) {
                active.remove(run);
                notifyAll();
                return false;
            }
            run.current++;
            return true;
        }
    }

    /**
     * The next run, waiting while nothing can be taken but parts are still in flight that the splitter may yet
     * cut (their pace becomes known as they go): asks again every {@code recheckMillis}, and at once when a run
     * ends or {@link #wake()} is called. Null when the work is done or {@code stop} says so.
     */
    synchronized Run nextWaiting(long recheckMillis, java.util.function.BooleanSupplier stop)
            throws InterruptedException {
        while (!stop.getAsBoolean()) {
            Run run = next();
            if (run != null) {
                return run;
            }
            if (splitter == null || active.isEmpty()) {
                return null;
            }
            wait(recheckMillis);
        }
        return null;
    }

    /** Wakes the workers waiting in {@link #nextWaiting} (the transfer stops). */
    synchronized void wake() {
        notifyAll();
    }

    /** The owner gives up the run (pause, cancel or failure): nobody continues it. */
    synchronized void abandon(Run run) {
        active.remove(run);
        notifyAll();
    }
}
