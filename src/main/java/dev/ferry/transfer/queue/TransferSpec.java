package dev.ferry.transfer.queue;

import java.nio.file.Path;
import java.util.Objects;

import dev.ferry.storage.ObjectRef;
import dev.ferry.transfer.PartPlan;

/** What a queued transfer does: a download to a file or a server-side copy, on one connection. */
public sealed interface TransferSpec permits TransferSpec.Download, TransferSpec.Copy {
    /** The kind of transfer, as shown in the queue. */
    enum Kind { DOWNLOAD, COPY }

    /** The connection (profile) whose store serves the source and, for copies, the destination. */
    String connectionId();

    ObjectRef source();

    long partSize();

    int connections();

    Kind kind();

    /** The name a person sees: the object's last key segment. */
    default String name() {
        return source().fileName();
    }

    /** Where the transfer goes, as shown to a person. */
    String destinationText();

    /** A download of {@code source} into the file {@code destination}. */
    record Download(String connectionId, ObjectRef source, Path destination, long partSize, int connections)
            implements TransferSpec {
        public Download {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(source, "source");
            destination = Objects.requireNonNull(destination, "destination").toAbsolutePath().normalize();
            checkSizes(partSize, connections);
        }

        public static Download of(String connectionId, ObjectRef source, Path destination) {
            return new Download(connectionId, source, destination, PartPlan.DEFAULT_PART_SIZE,
                    PartPlan.DEFAULT_CONNECTIONS);
        }

        @Override
        public Kind kind() {
            return Kind.DOWNLOAD;
        }

        /** The file's name: the object's, or the one a server suggested, or a free one ("name (1).ext"). */
        @Override
        public String name() {
            return destination.getFileName().toString();
        }

        @Override
        public String destinationText() {
            return destination.toString();
        }
    }

    /**
     * A server-side copy of {@code source} to {@code destination} on the same connection; {@code replace}: whether
     * it may replace an object already there (without it, such a copy fails and writes nothing).
     */
    record Copy(String connectionId, ObjectRef source, ObjectRef destination, long partSize, int connections,
                boolean replace) implements TransferSpec {
        public Copy {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
            checkSizes(partSize, connections);
        }

        public Copy(String connectionId, ObjectRef source, ObjectRef destination, long partSize, int connections) {
            this(connectionId, source, destination, partSize, connections, false);
        }

        public Copy withReplace(boolean v) {
            return new Copy(connectionId, source, destination, partSize, connections, v);
        }

        public static Copy of(String connectionId, ObjectRef source, ObjectRef destination) {
            return new Copy(connectionId, source, destination, PartPlan.DEFAULT_PART_SIZE,
                    PartPlan.DEFAULT_CONNECTIONS);
        }

        @Override
        public Kind kind() {
            return Kind.COPY;
        }

        @Override
        public String destinationText() {
            return "s3://" + destination;
        }
    }

    private static void checkSizes(long partSize, int connections) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size must be positive");
        }
        if (connections < 1 || connections > PartPlan.MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be between 1 and " + PartPlan.MAX_CONNECTIONS);
        }
    }
}
