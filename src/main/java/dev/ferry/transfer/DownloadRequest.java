package dev.ferry.transfer;

import java.nio.file.Path;
import java.util.Objects;

import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;

/**
 * What to download and how.
 *
 * @param checkpoint where to keep the checkpoint, or null for none (nothing to resume from)
 * @param rateLimit  this transfer's own limit in bytes per second, 0 for none
 * @param knownInfo  what a listing already said about the object (saves a HEAD), or null
 */
public record DownloadRequest(ObjectRef source, Path destination, long partSize, int connections, Path checkpoint,
                              boolean overwrite, long rateLimit, ObjectInfo knownInfo) {
    public DownloadRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size must be positive");
        }
        if (connections < 1 || connections > PartPlan.MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be between 1 and " + PartPlan.MAX_CONNECTIONS);
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rate limit must not be negative");
        }
        destination = destination.toAbsolutePath().normalize();
    }

    public static DownloadRequest of(ObjectRef source, Path destination) {
        return new DownloadRequest(source, destination, PartPlan.DEFAULT_PART_SIZE, PartPlan.DEFAULT_CONNECTIONS,
                null, false, 0, null);
    }

    public DownloadRequest withPartSize(long v) {
        return new DownloadRequest(source, destination, v, connections, checkpoint, overwrite, rateLimit, knownInfo);
    }

    public DownloadRequest withConnections(int v) {
        return new DownloadRequest(source, destination, partSize, v, checkpoint, overwrite, rateLimit, knownInfo);
    }

    public DownloadRequest withCheckpoint(Path v) {
        return new DownloadRequest(source, destination, partSize, connections, v, overwrite, rateLimit, knownInfo);
    }

    public DownloadRequest withOverwrite(boolean v) {
        return new DownloadRequest(source, destination, partSize, connections, checkpoint, v, rateLimit, knownInfo);
    }

    public DownloadRequest withRateLimit(long v) {
        return new DownloadRequest(source, destination, partSize, connections, checkpoint, overwrite, v, knownInfo);
    }

    public DownloadRequest withKnownInfo(ObjectInfo v) {
        return new DownloadRequest(source, destination, partSize, connections, checkpoint, overwrite, rateLimit, v);
    }

    /** What a destination's name takes for its temp file's. */
    public static final String TEMP_SUFFIX = ".ferry-partial";

    /** The file the bytes are written to until the download is verified: {@code <dest>.ferry-partial}. */
    public Path tempFile() {
        return tempFileFor(destination);
    }

    public static Path tempFileFor(Path destination) {
        return destination.resolveSibling(destination.getFileName() + TEMP_SUFFIX);
    }
}
