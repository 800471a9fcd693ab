package dev.ferry.storage;

/**
 * A store whose server can throttle one transfer's data itself (TOS: {@code x-tos-traffic-limit}), which is the
 * only way to slow a server-side copy, whose bytes never pass the client.
 */
public interface ServerThrottling {
    /**
     * A view of this store (sharing its connections) whose object reads and part copies ask the server to hold
     * the transfer to about {@code bytesPerSecond} over {@code connections} parallel requests. The server may
     * throttle less than asked where its own bounds say so; never more.
     */
    CopyStore throttledTo(long bytesPerSecond, int connections);

    /** {@code store} throttled by its server when it can be and a limit is set, else {@code store} itself. */
    @SuppressWarnings("unchecked")
    static <S extends ObjectStore> S apply(S store, long bytesPerSecond, int connections) {
        if (bytesPerSecond > 0 && store instanceof ServerThrottling t) {
            return (S) t.throttledTo(bytesPerSecond, connections);
        }
        return store;
    }
}
