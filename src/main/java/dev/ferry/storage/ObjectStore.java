package dev.ferry.storage;

import java.io.Closeable;
import java.util.List;

/**
 * What an object store can do for Ferry's engine. Implementations retry transient failures
 * themselves (each attempt signed afresh) and throw {@link StoreException} for the rest; every call
 * takes a {@link CancelSignal} that aborts it promptly.
 */
public interface ObjectStore extends Closeable {

    /** A stable, secret-free description of where this store points (e.g. the endpoint URL). */
    String endpointId();

    ObjectInfo head(ObjectRef ref, CancelSignal cancel) throws StoreException, java.io.InterruptedIOException;

    /**
     * Starts opening {@code connections} connections to where {@code ref} is served, in the background, for the
     * requests that will follow: a download calls this as it sends its first request, so its parts do not each
     * wait a round trip to connect once that answer is in. Best effort: nothing is reported, and a connection not
     * used within seconds is closed. By default nothing is opened.
     */
    default void connectAhead(ObjectRef ref, int connections) {
    }

    /**
     * Opens bytes {@code start..endInclusive} of the object, only if its ETag still equals
     * {@code ifMatch} (when not null). The returned body delivers exactly that range. {@code endInclusive} -1
     * asks for everything from {@code start} to the end, for an object whose size {@link #head} could not tell;
     * the body's {@link RangeBody#length()} is then -1 unless the answer says.
     */
    RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
            throws StoreException, java.io.InterruptedIOException;

    /**
     * Whether a download's checkpoint belongs to the file rather than to where it was fetched from: true for
     * plain links, whose file may come back through a fresh link (a new signature, a mirror) and is recognised
     * by its ETag, size and Last-Modified. Object stores name an object by bucket and key and say false.
     */
    default boolean checkpointFollowsContent() {
        return false;
    }

    /** Every bucket the credentials can see at this endpoint (all pages), in the server's order. */
    List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException, java.io.InterruptedIOException;

    /** One page of the objects under {@code prefix}; with a delimiter, deeper keys fold into prefixes. */
    ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                  CancelSignal cancel) throws StoreException, java.io.InterruptedIOException;

    @Override
    void close();
}
