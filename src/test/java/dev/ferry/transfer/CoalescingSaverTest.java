package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class CoalescingSaverTest {

    @Test
    void requestsDuringTheIntervalFoldIntoOneSaveAndStopFlushesAtOnce() throws Exception {
        AtomicInteger saves = new AtomicInteger();
        CoalescingSaver saver = new CoalescingSaver("test-saver", 10_000, saves::incrementAndGet);
        saver.start();
        saver.request();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (saves.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(saves).as("the first request saves at once").hasValue(1);
        for (int i = 0; i < 100; i++) {
            saver.request();
        }
        Thread.sleep(100);
        assertThat(saves).as("within the interval nothing more is saved").hasValue(1);

        long t0 = System.nanoTime();
        saver.stopAndFlush();

        assertThat(saves).as("the pending requests are saved once, at stop").hasValue(2);
        assertThat(System.nanoTime() - t0).as("stop does not wait out the interval").isLessThan(2_000_000_000L);
    }

    @Test
    void stopWithoutFlushDropsThePendingRequest() throws Exception {
        AtomicInteger saves = new AtomicInteger();
        CoalescingSaver saver = new CoalescingSaver("test-saver", 10_000, saves::incrementAndGet);
        saver.start();
        saver.request();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (saves.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        saver.request();
        saver.stopWithoutFlush();
        assertThat(saves).hasValue(1);
    }

    @Test
    void stopWithoutPendingRequestsSavesNothing() {
        AtomicInteger saves = new AtomicInteger();
        CoalescingSaver saver = new CoalescingSaver("test-saver", 50, saves::incrementAndGet);
        saver.start();
        saver.stopAndFlush();
        assertThat(saves).hasValue(0);
    }
}
