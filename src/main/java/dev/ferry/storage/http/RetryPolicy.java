package dev.ferry.storage.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: attempt n (from 1) waits a random time in
 * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}, or the server's Retry-After when that is longer
 * (capped at {@code maxRetryAfter}).
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(7, Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(120));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Quick retries for tests. */
    public static RetryPolicy fast(int maxAttempts) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    /**
     * Milliseconds to wait before the next try after failed attempt {@code attempt} (1-based).
     *
     * @param retryAfterMillis the server's Retry-After in milliseconds, or -1 when it gave none
     */
    public long delayMillis(int attempt, long retryAfterMillis) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 30));
        long jitter = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
        if (retryAfterMillis >= 0) {
            return Math.max(jitter, Math.min(retryAfterMillis, maxRetryAfter.toMillis()));
        }
        return jitter;
    }
}
