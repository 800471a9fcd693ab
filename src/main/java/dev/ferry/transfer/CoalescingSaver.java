package dev.ferry.transfer;

/**
 * Runs a save action on its own thread when asked, at most once per interval, folding the requests that
 * arrive meanwhile into one save. Callers never wait for the disk; {@link #stopAndFlush()} saves the last
 * request at once and returns when it is saved. (Each save forces the file system's journal, which
 * also flushes every other file's pending data: saving per request would slow the whole machine.)
 */
public final class CoalescingSaver {
    private final Runnable save;
    private final long intervalNanos;
    private final Thread thread;
    private boolean requested;
    private boolean stopped;

    public CoalescingSaver(String name, long intervalMillis, Runnable save) {
        this.save = save;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public synchronized void request() {
        requested = true;
        notifyAll();
    }

    /** Saves what was last requested, then ends the thread. */
    public void stopAndFlush() {
        stop(true);
    }

    /** Ends the thread, dropping a pending request: for when what it would record is about to be moot. */
    public void stopWithoutFlush() {
        stop(false);
    }

    private void stop(boolean flush) {
        synchronized (this) {
            stopped = true;
            requested &= flush;
            notifyAll();
        }
        Uninterruptibly.join(thread);
    }

    private void loop() {
        long nextAllowed = System.nanoTime();
        while (true) {
            synchronized (this) {
                while (!stopped && (!requested || System.nanoTime() - nextAllowed < 0)) {
                    try {
                        long waitNanos = requested ? nextAllowed - System.nanoTime() : 0;
                        if (waitNanos > 0) {
                            wait(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
                        } else {
                            wait();
                        }
                    } catch (InterruptedException e) {
                        stopped = true;
                    }
                }
                if (!requested) {
                    return;
                }
                requested = false;
            }
            save.run();
            nextAllowed = System.nanoTime() + intervalNanos;
        }
    }
}
