package dev.ferry.app.browser;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.ferry.storage.CancelSignal;

/**
 * Runs one blocking listing at a time in the background and hands its result to the UI thread, but only while
 * it is still the latest: starting another (the person navigated away) cancels the running one and drops its
 * result, so a slow, stale listing never overwrites the current one. Start and stop on the UI thread.
 */
final class Loader {
    /** A blocking piece of work that stops promptly when its signal is cancelled. */
    @FunctionalInterface
    interface Work<T> {
        T run(CancelSignal cancel) throws Exception;
    }

    private final Executor background;
    private final Executor ui;
    private final AtomicLong generation = new AtomicLong();
    private CancelSignal running;

    /** @param ui runs results on the UI thread ({@code Platform::runLater}) */
    Loader(Executor background, Executor ui) {
        this.background = background;
        this.ui = ui;
    }

    /**
     * Starts {@code work}, superseding whatever runs. Exactly one of {@code done} and {@code failed} is called,
     * on the UI thread, unless another start or {@link #stop()} came first.
     */
    <T> void start(Work<T> work, Consumer<T> done, Consumer<Exception> failed) {
        stop();
        long mine = generation.get();
        CancelSignal cancel = new CancelSignal();
        running = cancel;
        try {
            background.execute(() -> {
                Runnable outcome;
                try {
                    T result = work.run(cancel);
                    outcome = () -> done.accept(result);
                } catch (Exception e) {
                    outcome = () -> failed.accept(e);
                }
                if (!cancel.isCancelled()) { // superseded work has nothing to say
                    Runnable deliverable = outcome;
                    ui.execute(() -> deliver(mine, deliverable));
                }
            });
        } catch (RuntimeException e) { // the pool is shut down: the app is closing
            deliver(mine, () -> failed.accept(e));
        }
    }

    private void deliver(long mine, Runnable action) {
        if (generation.get() == mine) {
            running = null;
            action.run();
        }
    }

    /** Cancels the running work; its result, if any still comes, is dropped. */
    void stop() {
        generation.incrementAndGet();
        if (running != null) {
            running.cancel();
            running = null;
        }
    }

    /** Whether work started and has not delivered yet. */
    boolean busy() {
        return running != null;
    }
}
