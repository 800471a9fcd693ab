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
     * Opens bytes {@code start..endInclusive} of the object, only if its ETag still equals
     * {@code ifMatch} (when not null). The returned body delivers exactly that range.
     */
    RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
            throws StoreException, java.io.InterruptedIOException;

    /** Every bucket the credentials can see at this endpoint (all pages), in the server's order. */
    List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException, java.io.InterruptedIOException;

    /** One page of the objects under {@code prefix}; with a delimiter, deeper keys fold into prefixes. */
    ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                  CancelSignal cancel) throws StoreException, java.io.InterruptedIOException;

    @Override
    void close();
}
