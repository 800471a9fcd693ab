package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void runsEveryCopyOnItsOwnNamedDaemonThreadAndWaitsForAll() {
        AtomicInteger ran = new AtomicInteger();
        Set<String> names = ConcurrentHashMap.newKeySet();
        Workers.runAll(5, "test-worker", () -> {
            names.add(Thread.currentThread().getName());
            assertThat(Thread.currentThread().isDaemon()).isTrue();
            sleep(50);
            ran.incrementAndGet();
        }, e -> { });
        assertThat(ran).hasValue(5);
        assertThat(names).containsExactlyInAnyOrder("test-worker-1", "test-worker-2", "test-worker-3",
                "test-worker-4", "test-worker-5");
    }

    @Test
    void anUnexpectedExceptionGoesToTheFailureHandler() {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Workers.runAll(3, "test-worker", () -> {
            throw new IllegalStateException("boom");
        }, failures::add);
        assertThat(failures).hasSize(3).allSatisfy(t -> assertThat(t).hasMessage("boom"));
    }

    @Test
    void aSingleWorkerRunsOnTheCallingThreadAndItsFailureStillGoesToTheHandler() {
        Thread caller = Thread.currentThread();
        String callerName = caller.getName();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Workers.runAll(1, "test-worker", () -> {
            ranOn.add(Thread.currentThread());
            throw new AssertionError("an error, not an exception");
        }, failures::add);
        assertThat(ranOn).containsExactly(caller);
        assertThat(failures).singleElement().satisfies(t -> assertThat(t).isInstanceOf(AssertionError.class)
                .hasMessage("an error, not an exception"));
        assertThat(caller.getName()).isEqualTo(callerName); // the caller's thread is not renamed after the worker
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
