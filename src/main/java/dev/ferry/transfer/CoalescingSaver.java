package dev.ferry.transfer;

/**
 * Runs a save action on its own thread whenever asked, folding the requests that arrive while a save
 * runs into one more save. Callers never wait for the disk; {@link #stopAndFlush()} makes sure the
 * last request is saved before it returns.
 */
final class CoalescingSaver {
    private final Runnable save;
    private final Thread thread;
    private boolean requested;
    private boolean stopped;

    CoalescingSaver(String name, Runnable save) {
        this.save = save;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void request() {
        requested = true;
        notifyAll();
    }

    /** Saves what was last requested, then ends the thread. */
    void stopAndFlush() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                while (!requested && !stopped) {
                    try {
                        wait();
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
        }
    }
}
