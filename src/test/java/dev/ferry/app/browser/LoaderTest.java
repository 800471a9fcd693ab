package dev.ferry.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only the latest listing reaches the view, and a superseded one is cancelled. */
class LoaderTest {
    private final ExecutorService background = Executors.newCachedThreadPool();
    /** Stands in for the FX thread: the test thread runs what lands here. */
    private final LinkedBlockingQueue<Runnable> ui = new LinkedBlockingQueue<>();
    private final Loader loader = new Loader(background, ui::add);
    private final List<String> shown = new ArrayList<>();

    @AfterEach
    void tearDown() {
        background.shutdownNow();
    }

    private void runUi(int tasks) throws InterruptedException {
        for (int i = 0; i < tasks; i++) {
            Runnable r = ui.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a result for the UI").isNotNull();
            r.run();
        }
    }

    @Test
    void aSlowStaleListingNeverOverwritesTheCurrentOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch staleDone = new CountDownLatch(1);
        loader.start(cancel -> {
            release.await(); // ignores its cancel signal on purpose: the slowest, rudest server
            staleDone.countDown();
            return "old folder";
        }, shown::add, e -> shown.add("failed: " + e));
        loader.start(cancel -> "new folder", shown::add, e -> shown.add("failed: " + e));
        runUi(1);
        assertThat(shown).containsExactly("new folder");
        assertThat(loader.busy()).isFalse();

        release.countDown();
        staleDone.await(10, TimeUnit.SECONDS);
        Thread.sleep(50); // nothing must arrive: a late, stale result is never even posted
        while (!ui.isEmpty()) {
            ui.poll().run();
        }
        assertThat(shown).containsExactly("new folder");
    }

    @Test
    void startingAnotherCancelsTheRunningRequest() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        loader.start(cancel -> {
            started.countDown();
            cancel.register(cancelled::countDown);
            cancel.sleep(60_000);
            return "never";
        }, shown::add, e -> shown.add("failed: " + e.getMessage()));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loader.busy()).isTrue();
        loader.<String>start(cancel -> {
            throw new IOException("AccessDenied");
        }, shown::add, e -> shown.add("failed: " + e.getMessage()));
        assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
        runUi(1);
        assertThat(shown).containsExactly("failed: AccessDenied");
    }

    @Test
    void stopDropsWhatIsRunning() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        loader.start(cancel -> {
            try {
                cancel.sleep(60_000);
            } catch (InterruptedIOException e) {
                stopped.countDown();
                throw e;
            }
            return "never";
        }, shown::add, e -> shown.add("failed"));
        loader.stop();
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loader.busy()).isFalse();
        Thread.sleep(50);
        assertThat(ui).isEmpty();
        assertThat(shown).isEmpty();
    }
}
