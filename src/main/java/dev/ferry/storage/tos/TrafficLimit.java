package dev.ferry.storage.tos;

/**
 * TOS' server-side per-request throttle, {@code x-tos-traffic-limit}: bits per second, accepted from
 * {@value #MIN_BITS_PER_SECOND} (30 KiB/s) to {@value #MAX_BITS_PER_SECOND} (100 MiB/s); other values are
 * refused with HTTP 400. It limits one connection, so a transfer over several connections shares its
 * limit among them.
 */
public final class TrafficLimit {
    public static final long MIN_BITS_PER_SECOND = 245_760L;
    public static final long MAX_BITS_PER_SECOND = 838_860_800L;

    private TrafficLimit() {
    }

    /** Refuses a value TOS would refuse; 0 (no limit) passes. */
    static void check(long bitsPerSecond) {
        if (bitsPerSecond != 0 && (bitsPerSecond < MIN_BITS_PER_SECOND || bitsPerSecond > MAX_BITS_PER_SECOND)) {
            throw new IllegalArgumentException("a TOS traffic limit is 0 (none) or from " + MIN_BITS_PER_SECOND
                    + " to " + MAX_BITS_PER_SECOND + " bits per second, not " + bitsPerSecond);
        }
    }

    /**
     * The per-request limit, in bits per second, that holds a transfer of {@code bytesPerSecond} over
     * {@code connections} parallel requests, for {@link TosStore#withTrafficLimit(long)}; 0 for none.
     * A share above TOS' maximum needs no server limit (0); one below its minimum is raised to the minimum,
     * so the server only ever throttles less than asked and the client's own limiter keeps the exact rate.
     */
    public static long perConnection(long bytesPerSecond, int connections) {
        if (bytesPerSecond < 0 || connections < 1) {
            throw new IllegalArgumentException("a rate of " + bytesPerSecond + " B/s over " + connections
                    + " connections");
        }
        if (bytesPerSecond == 0) {
            return 0;
        }
        long share = Math.max(1, bytesPerSecond / connections);
        if (share > MAX_BITS_PER_SECOND / 8) {
            return 0;
        }
        return Math.max(MIN_BITS_PER_SECOND, share * 8);
    }
}
