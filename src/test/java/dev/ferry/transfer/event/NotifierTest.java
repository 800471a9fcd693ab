package dev.ferry.transfer.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.ferry.transfer.TransferState;

/** Event delivery on the shared transfer threads: in order, one call at a time, everything before the end. */
class NotifierTest {

    @Test
    void eventsArriveInOrderOneAtATimeAndAllBeforeFinishReturns() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        AtomicLong done = new AtomicLong();
        TransferListener listener = new TransferListener() {
            @Override
            public void onEvent(TransferEvent e) {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                got.add(e.message());
                Thread.yield();
                inside.decrementAndGet();
            }

            @Override
            public void onProgress(Progress p) {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                progress.add(p);
                inside.decrementAndGet();
            }
        };
        Notifier n = new Notifier("test", listener,
                () -> new Notifier.Counters(TransferState.TRANSFERRING, 1000, done.get(), done.get(), 0, 1));
        n.start();
        int senders = 4;
        int each = 2000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int id = s;
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    n.emit(TransferEvent.of(TransferEvent.Type.PART_SUCCEEDED, id + ":" + i));
                    done.incrementAndGet();
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        // every event arrives without finish() pushing: an emit that lands while a delivery winds down is not lost
        dev.ferry.testing.Await.until("all events delivered", () -> got.size() == senders * each);
        n.finish(10_000);

        assertThat(got).hasSize(senders * each);
        assertThat(overlaps).hasValue(0);
        for (int s = 0; s < senders; s++) {
            String prefix = s + ":";
            List<Integer> order = got.stream().filter(m -> m.startsWith(prefix))
                    .map(m -> Integer.parseInt(m.substring(prefix.length()))).toList();
            assertThat(order).isSorted().hasSize(each);
        }
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).done()).isEqualTo(senders * each);
        int delivered = got.size();
        n.emit(TransferEvent.of(TransferEvent.Type.PART_SUCCEEDED, "after the end"));
        Thread.sleep(50);
        assertThat(got).hasSize(delivered);
    }

    @Test
    void aListenerThatThrowsStillGetsEveryLaterEventAndTheEnd() {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        TransferListener throwing = new TransferListener() {
            @Override
            public void onEvent(TransferEvent e) {
                got.add(e.message());
                if (e.message().equals("bad-error")) {
                    throw new AssertionError("listener bug");
                }
                if (e.message().equals("bad-exception")) {
                    throw new IllegalStateException("listener bug");
                }
            }

            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }
        };
        Notifier n = new Notifier("throwing", throwing,
                () -> new Notifier.Counters(TransferState.COMPLETED, 10, 10, 10, 1, 1));
        n.start();
        n.emit(TransferEvent.of(TransferEvent.Type.STARTED, "bad-error"));
        n.emit(TransferEvent.of(TransferEvent.Type.STARTED, "bad-exception"));
        n.emit(TransferEvent.of(TransferEvent.Type.SUCCEEDED, "after"));
        long t0 = System.nanoTime();
        n.finish(10_000);

        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000L);
        assertThat(got).containsExactly("bad-error", "bad-exception", "after");
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).done()).isEqualTo(10);
    }

    @Test
    void countersThatFailOnceStopNoLaterDelivery() throws Exception {
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        TransferListener listener = new TransferListener() {
            @Override
            public void onEvent(TransferEvent e) {
                got.add(e.message());
            }
        };
        Notifier n = new Notifier("failing-counters", listener, () -> {
            if (calls.getAndIncrement() == 0) {
                throw new IndexOutOfBoundsException("a plan being replaced");
            }
            return new Notifier.Counters(TransferState.COMPLETED, 10, 10, 10, 1, 1);
        });
        n.start(); // the first tick samples, and fails
        dev.ferry.testing.Await.until("a first sample", () -> calls.get() > 0);
        n.emit(TransferEvent.of(TransferEvent.Type.SUCCEEDED, "after"));
        long t0 = System.nanoTime();
        n.finish(10_000);

        assertThat((System.nanoTime() - t0) / 1_000_000).as("finish waited for nothing").isLessThan(5_000L);
        assertThat(got).containsExactly("after");
    }

    @Test
    void aSlowListenerDelaysFinishOnlyUpToItsLimit() {
        CountDownLatch release = new CountDownLatch(1);
        TransferListener stuck = new TransferListener() {
            @Override
            public void onEvent(TransferEvent e) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Notifier n = new Notifier("slow", stuck,
                () -> new Notifier.Counters(TransferState.TRANSFERRING, 10, 0, 0, 0, 1));
        n.start();
        n.emit(TransferEvent.of(TransferEvent.Type.STARTED, "x"));
        long t0 = System.nanoTime();
        n.finish(200);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        release.countDown();
        assertThat(waited).isBetween(150L, 5_000L);
    }

    @Test
    void progressIsSampledAndDeliveredWhileNoEventComes() throws Exception {
        List<Progress> progress = Collections.synchronizedList(new ArrayList<>());
        AtomicLong done = new AtomicLong();
        TransferListener listener = new TransferListener() {
            @Override
            public void onProgress(Progress p) {
                progress.add(p);
            }
        };
        Notifier n = new Notifier("quiet", listener,
                () -> new Notifier.Counters(TransferState.TRANSFERRING, 1000, done.get(), done.get(), 0, 1));
        n.start();
        for (int i = 1; i <= 3; i++) {
            long want = i * 100L;
            done.set(want);
            dev.ferry.testing.Await.until("progress at " + want,
                    () -> !progress.isEmpty() && progress.get(progress.size() - 1).done() == want);
            assertThat(n.latest().done()).isEqualTo(want);
        }
        n.finish(10_000);
        assertThat(progress).extracting(Progress::done).isSorted().contains(100L, 200L, 300L);
    }
}
