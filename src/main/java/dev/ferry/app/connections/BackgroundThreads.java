package dev.ferry.app.connections;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs each task on a new named daemon thread: enough for the occasional connection test. */
final class BackgroundThreads implements Executor {
    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    BackgroundThreads(String name) {
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        Thread t = new Thread(task, name + "-" + count.incrementAndGet());
        t.setDaemon(true);
        t.start();
    }
}
