package dev.ferry.transfer.queue;

import java.io.IOException;
import java.util.function.LongSupplier;

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
     * The store a download held to its own limit reads from ({@code limit}: its bytes per second as it is now, 0 for
     * none; it may change while the download runs), and what to do when the run is over. By default the shared
     * {@link #downloadStore(TransferSpec.Download)}, with nothing to do after. A resolver that sizes its connections'
     * kernel receive buffers for a limit gives a download whose own limit is below what the shared connections are
     * sized for connections of its own, sized for that limit, which {@link Lease#release()} closes.
     */
    default Lease downloadStore(TransferSpec.Download download, LongSupplier limit) throws IOException {
        return new Lease(downloadStore(download), () -> {
        });
    }

    /** A store for one run, and what to do once the run is over (call it exactly once). */
    record Lease(ObjectStore store, Runnable release) {
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
