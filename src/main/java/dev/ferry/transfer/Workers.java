package dev.ferry.transfer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs a transfer's parallel workers on named pooled daemon threads ({@link TransferThreads}) and waits for all of them;
 * a single worker runs on the calling thread.
 */
final class Workers {
    private Workers() {
    }

    /**
     * Runs {@code count} copies of {@code task} and returns when every one has ended. A task's unexpected
     * exception goes to {@code onFailure}. When the platform refuses more threads the transfer goes on with
     * those it got; only when it gets none is that a failure.
     */
    static void runAll(int count, String name, Runnable task, Consumer<Throwable> onFailure) {
        if (count == 1) {
            // one worker runs on the calling thread, which would only wait for it: a folder of small files then
            // hands no task to the pool and wakes no other thread per file
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                onFailure.accept(e);
            }
            return;
        }
        CountDownLatch finished = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            try {
                TransferThreads.start(name + "-" + (i + 1), () -> {
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        onFailure.accept(e);
                    } finally {
                        finished.countDown();
                    }
                });
            } catch (OutOfMemoryError | RejectedExecutionException noMoreThreads) {
                for (int k = i; k < count; k++) {
                    finished.countDown();
                }
                if (i == 0) {
                    onFailure.accept(noMoreThreads);
                }
                break;
            }
        }
        Uninterruptibly.await(finished);
    }
}
