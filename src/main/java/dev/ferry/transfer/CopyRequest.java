package dev.ferry.transfer;

import java.nio.file.Path;
import java.util.Objects;

import dev.ferry.storage.ObjectRef;

/**
 * A server-side copy of one object to another key (same endpoint).
 *
 * @param checkpoint where to keep the checkpoint, or null for none (a paused or failed copy then aborts its upload)
 */
public record CopyRequest(ObjectRef source, ObjectRef destination, long partSize, int connections, Path checkpoint) {
    public CopyRequest {
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
        return new CopyRequest(source, destination, v, connections, checkpoint);
    }

    public CopyRequest withConnections(int v) {
        return new CopyRequest(source, destination, partSize, v, checkpoint);
    }

    public CopyRequest withCheckpoint(Path v) {
        return new CopyRequest(source, destination, partSize, connections, v);
    }

    /** Whether the copy would write the object onto itself. */
    public boolean isOntoItself() {
        return source.bucket().equals(destination.bucket()) && source.key().equals(destination.key())
                && source.versionId() == null;
    }
}
