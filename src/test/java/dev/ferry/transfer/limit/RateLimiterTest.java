package dev.ferry.transfer.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;

class RateLimiterTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000 * MS;
    private static final long BURST = RateLimiter.BURST_NANOS;

    /** A time safely after the limiter was created, so reservations start from it. */
    private static long later() {
        return System.nanoTime() + 10 * SECOND;
    }

    @Test
    void firstReservationWithinTheBurstPassesAtOnce() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        long t = later();

        assertThat(l.reserve(50_000, t)).isZero();
        assertThat(l.reserve(1, t)).isEqualTo(1_000);
    }

    @Test
    void reservationsQueueOnTheVirtualClock() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        long t = later();

        assertThat(l.reserve(50_000, t)).isZero();
        assertThat(l.reserve(50_000, t)).isEqualTo(50 * MS);
        assertThat(l.reserve(100_000, t)).isEqualTo(150 * MS);
        assertThat(l.reserve(100_000, t + 100 * MS)).isEqualTo(150 * MS);
    }

    @Test
    void largeReservationWaitsForItsWholeCostMinusTheBurst() {
        RateLimiter l = new RateLimiter(null, 2_000);

        assertThat(l.reserve(4_000, later())).isEqualTo(2 * SECOND - BURST);
    }

    @Test
    void idleTimeBuildsNoCreditBeyondTheBurst() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        long t = later();
        l.reserve(50_000, t);

        long afterIdle = t + 10 * SECOND;

        assertThat(l.reserve(100_000, afterIdle)).isEqualTo(50 * MS);
        assertThat(l.reserve(50_000, afterIdle)).isEqualTo(100 * MS);
    }

    @Test
    void bytesOverAWindowMatchTheRatePlusBurst() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        long t = later();
        long passedInFirstSecond = 0;
        long now = t;
        for (int i = 0; i < 200; i++) {
            now += l.reserve(10_000, now);
            if (now < t + SECOND) {
                passedInFirstSecond += 10_000;
            }
        }

        assertThat(passedInFirstSecond).isEqualTo(1_040_000);
    }

    @Test
    void unlimitedNeverWaits() {
        RateLimiter l = RateLimiter.unlimited();
        long t = later();

        assertThat(l.reserve(Long.MAX_VALUE / 4, t)).isZero();
        assertThat(l.reserve(1L << 40, t)).isZero();
        assertThat(l.rate()).isZero();
        assertThat(l.effectiveRate()).isZero();
    }

    @Test
    void acquireThroughUnlimitedChainDoesNotSleep() {
        CancelSignal cancelled = cancelled();
        RateLimiter chain = RateLimiter.unlimited().child(0).child(0);

        assertThatCode(() -> chain.acquire(1L << 40, cancelled)).doesNotThrowAnyException();
    }

    @Test
    void acquireIsLimitedByTheParent() {
        RateLimiter parent = new RateLimiter(null, 1_000);
        RateLimiter child = parent.child(0);

        assertThatThrownBy(() -> child.acquire(1_000, cancelled())).isInstanceOf(InterruptedIOException.class);
        long backlog = parent.reserve(0, System.nanoTime());
        assertThat(backlog).isBetween(900 * MS, SECOND - BURST);
    }

    @Test
    void acquireIsLimitedByTheChild() {
        RateLimiter parent = RateLimiter.unlimited();
        RateLimiter child = parent.child(1_000);

        assertThatThrownBy(() -> child.acquire(1_000, cancelled())).isInstanceOf(InterruptedIOException.class);
        assertThat(child.reserve(0, System.nanoTime())).isBetween(900 * MS, SECOND - BURST);
    }

    @Test
    void acquireReservesOnEveryLevel() throws InterruptedIOException {
        RateLimiter parent = new RateLimiter(null, 100_000_000);
        RateLimiter child = parent.child(100_000_000);
        RateLimiter fresh = new RateLimiter(null, 100_000_000);

        child.acquire(4_000_000, cancelled());

        long now = System.nanoTime();
        assertThat(parent.reserve(4_000_000, now)).isBetween(20 * MS, 30 * MS);
        assertThat(child.reserve(4_000_000, now)).isBetween(20 * MS, 30 * MS);
        assertThat(fresh.reserve(4_000_000, now)).isZero();
    }

    @Test
    void effectiveRateIsTheStrictestOnTheChain() {
        RateLimiter global = new RateLimiter(null, 3_000);
        RateLimiter transfer = global.child(0);
        RateLimiter stream = transfer.child(5_000);

        assertThat(stream.effectiveRate()).isEqualTo(3_000);
        transfer.setRate(2_000);
        assertThat(stream.effectiveRate()).isEqualTo(2_000);
        global.setRate(1_000);
        assertThat(stream.effectiveRate()).isEqualTo(1_000);
        assertThat(transfer.effectiveRate()).isEqualTo(1_000);
        global.setRate(0);
        transfer.setRate(0);
        assertThat(stream.effectiveRate()).isEqualTo(5_000);
        assertThat(global.effectiveRate()).isZero();
        assertThat(stream.parent()).isSameAs(transfer);
        assertThat(transfer.parent()).isSameAs(global);
        assertThat(global.parent()).isNull();
    }

    @Test
    void quantumIsFiftyMillisecondsAtTheStrictestRate() {
        RateLimiter global = new RateLimiter(null, 2 * 1024 * 1024);
        RateLimiter child = global.child(0);

        assertThat(child.quantum(1 << 20)).isEqualTo(104_857);
        assertThat(child.quantum(65_536)).isEqualTo(65_536);
        child.setRate(400_000);
        assertThat(child.quantum(1 << 20)).isEqualTo(20_000);
    }

    @Test
    void quantumHasAFloorButNeverExceedsMax() {
        RateLimiter slow = new RateLimiter(null, 1_000);

        assertThat(slow.quantum(1 << 20)).isEqualTo(1024);
        assertThat(slow.quantum(512)).isEqualTo(512);
    }

    @Test
    void quantumOfUnlimitedOrHugeRateIsMax() {
        assertThat(RateLimiter.unlimited().quantum(8192)).isEqualTo(8192);
        assertThat(new RateLimiter(null, 1_000_000_000_000L).quantum(8192)).isEqualTo(8192);
        assertThat(new RateLimiter(null, Long.MAX_VALUE).quantum(1 << 20)).isEqualTo(1 << 20);
    }

    @Test
    void raisingTheRateShortensTheBacklog() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        l.reserve(1_000_000, System.nanoTime());

        l.setRate(4_000_000);

        assertThat(l.rate()).isEqualTo(4_000_000);
        assertThat(l.reserve(0, System.nanoTime())).isBetween(150 * MS, 250 * MS - BURST);
    }

    @Test
    void loweringTheRateLengthensTheBacklog() {
        RateLimiter l = new RateLimiter(null, 1_000_000);
        l.reserve(1_000_000, System.nanoTime());

        l.setRate(500_000);

        assertThat(l.reserve(0, System.nanoTime())).isBetween(1_850 * MS, 2 * SECOND - BURST);
    }

    @Test
    void goingThroughUnlimitedForgetsTheBacklog() {
        RateLimiter l = new RateLimiter(null, 1_000);
        l.reserve(10_000, System.nanoTime());

        l.setRate(0);
        assertThat(l.reserve(1_000_000, System.nanoTime())).isZero();
        l.setRate(1_000);

        assertThat(l.reserve(50, System.nanoTime())).isZero();
    }

    @Test
    void negativeRateIsRejected() {
        RateLimiter l = new RateLimiter(null, 1_000);

        assertThatThrownBy(() -> l.setRate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(null, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(l.rate()).isEqualTo(1_000);
    }

    @Test
    void cancelWakesAWaitingReader() throws InterruptedException {
        RateLimiter l = new RateLimiter(null, 1_000);
        CancelSignal cancel = new CancelSignal();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                l.acquire(100_000, cancel);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        Thread.sleep(50);

        cancel.cancel();
        reader.join(2_000);

        assertThat(reader.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedIOException.class);
    }

    @Test
    void fourReadersShareTheLimitAccurately() throws Exception {
        long rate = 2L * 1024 * 1024;
        RateLimiter global = RateLimiter.unlimited().child(rate);
        RateLimiter[] transfers = {global.child(0), global.child(4 * rate)};
        ConcurrentLinkedQueue<long[]> records = new ConcurrentLinkedQueue<>();
        CancelSignal cancel = new CancelSignal();
        long deadline = System.nanoTime() + 3 * SECOND;
        List<Thread> readers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < 4; i++) {
            RateLimiter limiter = transfers[i % 2];
            Thread t = new Thread(() -> read(limiter, cancel, deadline, records, failure), "reader-" + i);
            t.setDaemon(true);
            readers.add(t);
            t.start();
        }
        for (Thread t : readers) {
            t.join(10_000);
        }
        cancel.cancel();

        assertThat(failure.get()).isNull();
        List<long[]> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        assertThat(sorted).hasSizeGreaterThan(40);
        assertThat(meanRate(sorted)).isBetween(rate * 0.95, rate * 1.05);
        assertThat(busiestWindow(sorted, 250 * MS)).isLessThanOrEqualTo(2 * rate / 4);
    }

    private static void read(RateLimiter limiter, CancelSignal cancel, long deadline,
                             ConcurrentLinkedQueue<long[]> records, AtomicReference<Throwable> failure) {
        byte[] buffer = new byte[1 << 20];
        try (InputStream source = new ByteArrayInputStream(new byte[8 << 20])) {
            while (System.nanoTime() < deadline) {
                int got = source.readNBytes(buffer, 0, limiter.quantum(buffer.length));
                limiter.acquire(got, cancel);
                records.add(new long[] {System.nanoTime(), got});
            }
        } catch (IOException | RuntimeException e) {
            failure.set(e);
        }
    }

    /** Bytes after the first record divided by the time from the first record to the last. */
    private static double meanRate(List<long[]> sorted) {
        long bytes = sorted.stream().skip(1).mapToLong(r -> r[1]).sum();
        long elapsed = sorted.get(sorted.size() - 1)[0] - sorted.get(0)[0];
        return bytes * (double) SECOND / elapsed;
    }

    private static long busiestWindow(List<long[]> sorted, long window) {
        long max = 0;
        for (int i = 0; i < sorted.size(); i++) {
            long sum = 0;
            for (int j = i; j < sorted.size() && sorted.get(j)[0] < sorted.get(i)[0] + window; j++) {
                sum += sorted.get(j)[1];
            }
            max = Math.max(max, sum);
        }
        return max;
    }

    private static CancelSignal cancelled() {
        CancelSignal c = new CancelSignal();
        c.cancel();
        return c;
    }
}
