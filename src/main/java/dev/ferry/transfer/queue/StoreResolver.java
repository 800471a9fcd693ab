package dev.ferry.transfer.queue;

import java.io.IOException;

import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectStore;

/** Finds the store behind a connection id; the service never learns about profiles or secrets. */
@FunctionalInterface
public interface StoreResolver {
    /**
     * The store for {@code connectionId}. The service closes nothing it gets here: stores are shared and owned
     * by the resolver. Throws {@link IOException} with a message fit for a person when the connection is
     * unknown or unusable.
     */
    CopyStore store(String connectionId) throws IOException;

    /**
     * The store a download reads from: its connection's store, or (for a plain link, whose "connection" is the link
     * itself) a store of that one link. Owned by the resolver, like {@link #store}.
     */
    default ObjectStore downloadStore(TransferSpec.Download download) throws IOException {
        return store(download.connectionId());
    }

    /**
     * How objects of {@code connectionId} are written as links, for display: "s3" unless the connection says
     * otherwise ("tos"), or null when the source names itself in full (a plain http(s) link). Cheap and never
     * failing: an unknown connection is "s3".
     */
    default String scheme(String connectionId) {
        return "s3";
    }
}
