package dev.ferry.transfer;

import java.nio.file.Path;
import java.util.Objects;

import dev.ferry.storage.ObjectRef;

/**
 * A server-side copy of one object to another key (same endpoint).
 *
 * @param checkpoint where to keep the checkpoint, or null for none (a paused or failed copy then aborts its upload)
 * @param rateLimit  bytes per second the server is asked to hold the copy to, where it can (TOS); 0 for none.
 *                   The copy's bytes never pass the client, so no client-side limit applies.
 * @param replace    whether the copy may replace an object already at its destination; without it, a copy that
 *                   would start finds out first (a HEAD) and fails with {@link FailureKind#DESTINATION_EXISTS}
 */
public record CopyRequest(ObjectRef source, ObjectRef destination, long partSize, int connections, Path checkpoint,
                          long rateLimit, boolean replace) {
    public CopyRequest(ObjectRef source, ObjectRef destination, long partSize, int connections, Path checkpoint) {
        this(source, destination, partSize, connections, checkpoint, 0, false);
    }

    public CopyRequest {
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rate limit must not be negative");
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size must be positive");
        }
        if (connections < 1 || connections > PartPlan.MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be between 1 and " + PartPlan.MAX_CONNECTIONS);
        }
        if (destination.versionId() != null) {
            throw new IllegalArgumentException("a copy's destination has no version id");
        }
    }

    public static CopyRequest of(ObjectRef source, ObjectRef destination) {
        return new CopyRequest(source, destination, PartPlan.DEFAULT_PART_SIZE, PartPlan.DEFAULT_CONNECTIONS, null);
    }

    public CopyRequest withPartSize(long v) {
        return new CopyRequest(source, destination, v, connections, checkpoint, rateLimit, replace);
    }

    public CopyRequest withConnections(int v) {
        return new CopyRequest(source, destination, partSize, v, checkpoint, rateLimit, replace);
    }

    public CopyRequest withCheckpoint(Path v) {
        return new CopyRequest(source, destination, partSize, connections, v, rateLimit, replace);
    }

    public CopyRequest withRateLimit(long v) {
        return new CopyRequest(source, destination, partSize, connections, checkpoint, v, replace);
    }

    public CopyRequest withReplace(boolean v) {
        return new CopyRequest(source, destination, partSize, connections, checkpoint, rateLimit, v);
    }

    /** Whether the copy would write the object onto itself. */
    public boolean isOntoItself() {
        return source.bucket().equals(destination.bucket()) && source.key().equals(destination.key())
                && source.versionId() == null;
    }
}
