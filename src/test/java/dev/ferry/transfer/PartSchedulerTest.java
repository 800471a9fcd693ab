package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

class PartSchedulerTest {

    private static List<String> drainQueued(PartScheduler s) {
        List<String> runs = new ArrayList<>();
        PartScheduler.Run r;
        List<PartScheduler.Run> taken = new ArrayList<>();
        while (taken.size() < 100 && (r = s.next()) != null) {
            runs.add(r.toString());
            taken.add(r);
        }
        return runs;
    }

    @Test
    void splitsFreshWorkIntoOneRunPerWorker() {
        PartScheduler s = new PartScheduler(16, i -> false, i -> false, 4);
        PartScheduler.Run a = s.next();
        PartScheduler.Run b = s.next();
        PartScheduler.Run c = s.next();
        PartScheduler.Run d = s.next();
        assertThat(List.of(a, b, c, d)).extracting(Object::toString)
                .containsExactly("[0..3]", "[4..7]", "[8..11]", "[12..15]");
    }

    @Test
    void runsNeverCrossFinishedPartsAndPartlyWrittenPartsStartRuns() {
        // parts 2 and 5 done, part 7 has bytes on disk
        BitSet done = new BitSet();
        done.set(2);
        done.set(5);
        PartScheduler s = new PartScheduler(10, done::get, i -> i == 7 || done.get(i), 1);
        assertThat(List.of(s.next(), s.next(), s.next(), s.next())).extracting(Object::toString)
                .containsExactly("[0..1]", "[3..4]", "[6..6]", "[7..9]");
    }

    @Test
    void idleWorkerStealsTheBackHalfOfTheLargestRun() {
        PartScheduler s = new PartScheduler(8, i -> false, i -> false, 1);
        PartScheduler.Run owner = s.next();
        assertThat(owner).hasToString("[0..7]");
        assertThat(s.advance(owner)).isTrue(); // now on part 1; parts 2..7 unstarted
        PartScheduler.Run thief = s.next();
        assertThat(thief).hasToString("[5..7]");
        assertThat(owner).hasToString("[1..4]");
    }

    @Test
    void ownerStopsAtTheNewBoundaryAfterASteal() {
        PartScheduler s = new PartScheduler(3, i -> false, i -> false, 1);
        PartScheduler.Run owner = s.next();
        PartScheduler.Run thief = s.next(); // takes part 2
        assertThat(thief).hasToString("[2..2]");
        assertThat(s.advance(owner)).isTrue();  // 0 -> 1
        assertThat(s.advance(owner)).isFalse(); // 1 was the last of its run now
        assertThat(s.advance(thief)).isFalse();
        assertThat(s.next()).isNull();
    }

    @Test
    void aRunInItsLastPartCannotBeStolenFrom() {
        PartScheduler s = new PartScheduler(1, i -> false, i -> false, 4);
        assertThat(s.next()).hasToString("[0..0]");
        assertThat(s.next()).isNull();
        assertThat(drainQueued(new PartScheduler(0, i -> false, i -> false, 4))).isEmpty();
    }

    @Test
    void concurrentWorkersFetchEveryPartExactlyOnce() throws Exception {
        int parts = 500;
        PartScheduler s = new PartScheduler(parts, i -> false, i -> false, 8);
        AtomicIntegerArray fetched = new AtomicIntegerArray(parts);
        CountDownLatch finished = new CountDownLatch(12);
        for (int w = 0; w < 12; w++) {
            new Thread(() -> {
                PartScheduler.Run run;
                while ((run = s.next()) != null) {
                    do {
                        fetched.incrementAndGet(run.current());
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            Thread.yield();
                        }
                    } while (s.advance(run));
                }
                finished.countDown();
            }).start();
        }
        finished.await();
        for (int i = 0; i < parts; i++) {
            assertThat(fetched.get(i)).as("part %d", i).isEqualTo(1);
        }
    }

    @Test
    void whenNothingIsLeftToTakeTheSplitterCutsAPartInFlight() {
        java.util.List<java.util.List<Integer>> asked = new ArrayList<>();
        PartScheduler s = new PartScheduler(2, i -> false, i -> false, 2, inFlight -> {
            asked.add(List.copyOf(inFlight));
            return asked.size() == 1 ? 2 : -1; // one new part (index 2), then nothing more to cut
        });
        PartScheduler.Run a = s.next();
        PartScheduler.Run b = s.next();
        assertThat(List.of(a, b)).extracting(Object::toString).containsExactly("[0..0]", "[1..1]");

        PartScheduler.Run split = s.next();
        assertThat(split).hasToString("[2..2]");
        assertThat(asked.get(0)).containsExactlyInAnyOrder(0, 1);
        assertThat(s.next()).isNull();
        assertThat(asked.get(1)).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(s.advance(a)).isFalse();
    }

    @Test
    void withoutASplitterAnIdleWorkerGetsNothingOnceWholePartsAreTaken() {
        PartScheduler s = new PartScheduler(1, i -> false, i -> false, 2);
        assertThat(s.next()).hasToString("[0..0]");
        assertThat(s.next()).isNull();
    }

    @Test
    void aWaitingWorkerIsToldAtOnceWhenTheLastRunEndsAndWhenTheTransferStops() throws Exception {
        // the recheck is a minute: only the scheduler's own wake-up can end these waits within seconds
        PartScheduler s = new PartScheduler(1, i -> false, i -> false, 2, inFlight -> -1);
        PartScheduler.Run only = s.next();
        java.util.concurrent.CompletableFuture<PartScheduler.Run> waiting = waitFor(s, () -> false);
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        assertThat(s.advance(only)).isFalse();
        assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNull();

        PartScheduler stopping = new PartScheduler(1, i -> false, i -> false, 2, inFlight -> -1);
        assertThat(stopping.next()).isNotNull();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<PartScheduler.Run> stopped = waitFor(stopping, stop::get);
        Thread.sleep(100);
        assertThat(stopped).isNotDone();
        stop.set(true);
        stopping.wake();
        assertThat(stopped.get(5, java.util.concurrent.TimeUnit.SECONDS)).isNull();
    }

    private static java.util.concurrent.CompletableFuture<PartScheduler.Run> waitFor(PartScheduler s,
            java.util.function.BooleanSupplier stop) {
        java.util.concurrent.CompletableFuture<PartScheduler.Run> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(s.nextWaiting(60_000, stop));
            } catch (InterruptedException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return f;
    }
}
