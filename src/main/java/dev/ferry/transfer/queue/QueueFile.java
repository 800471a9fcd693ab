package dev.ferry.transfer.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.ferry.storage.ObjectRef;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * The queue as saved in {@code $FERRY_HOME/queue.json}: what each transfer is, its state and its own limit.
 * No credentials: a transfer names its connection by id. Written atomically like a checkpoint.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueueFile(int version, List<Item> items) {
    public static final int VERSION = 1;

    /**
     * One transfer. Exactly one of {@code destinationFile} and {@code destinationBucket} is set; {@code replace}: a
     * copy may replace an object at its destination (false in files that predate it); {@code failure}: why a failed
     * one failed, as a {@link FailureKind} name (null when it did not, or in files that predate it).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(long id, String kind, String connection, String sourceBucket, String sourceKey,
                       String sourceVersion, String destinationFile, String destinationBucket,
                       String destinationKey, long partSize, int connections, long limit, String state,
                       String message, long total, long done, boolean replace, String failure) {
    }

    static Item item(long id, TransferSpec spec, TransferState state, String message, FailureKind failure, long limit,
                     long total, long done) {
        String failed = state == TransferState.FAILED && failure != null && failure != FailureKind.NONE
                ? failure.name() : null;
        ObjectRef src = spec.source();
        if (spec instanceof TransferSpec.Download d) {
            return new Item(id, "download", d.connectionId(), src.bucket(), src.key(), src.versionId(),
                    d.destination().toString(), null, null, d.partSize(), d.connections(), limit, state.name(),
                    message, total, done, false, failed);
        }
        TransferSpec.Copy c = (TransferSpec.Copy) spec;
        return new Item(id, "copy", c.connectionId(), src.bucket(), src.key(), src.versionId(), null,
                c.destination().bucket(), c.destination().key(), c.partSize(), c.connections(), limit, state.name(),
                message, total, done, c.replace(), failed);
    }

    static TransferSpec spec(Item i) {
        ObjectRef src = new ObjectRef(i.sourceBucket(), i.sourceKey(), i.sourceVersion());
        return switch (i.kind()) {
            case "download" -> new TransferSpec.Download(i.connection(), src, Path.of(i.destinationFile()),
                    i.partSize(), i.connections());
            case "copy" -> new TransferSpec.Copy(i.connection(), src,
                    ObjectRef.of(i.destinationBucket(), i.destinationKey()), i.partSize(), i.connections(),
                    i.replace());
            default -> throw new IllegalArgumentException("unknown kind of transfer: " + i.kind());
        };
    }

    /** Why a saved transfer failed; NONE when it did not, or the name is not known. */
    static FailureKind failureOf(Item i) {
        try {
            return i.failure() == null ? FailureKind.NONE : FailureKind.valueOf(i.failure());
        } catch (IllegalArgumentException unknown) {
            return FailureKind.NONE;
        }
    }

    /**
     * The state a saved transfer comes back in: one that was running when Ferry stopped is queued again, so it
     * resumes from its checkpoint.
     */
    static TransferState restoredState(String saved) {
        TransferState s;
        try {
            s = TransferState.valueOf(saved);
        } catch (RuntimeException e) {
            return TransferState.PAUSED;
        }
        return switch (s) {
            case CONNECTING, TRANSFERRING, VERIFYING -> TransferState.QUEUED;
            default -> s;
        };
    }

    static void save(Path file, List<Item> items) throws IOException {
        CheckpointFiles.write(file, new QueueFile(VERSION, items));
    }

    /** The saved items, in queue order; an empty list when there is no file. */
    static List<Item> load(Path file) throws IOException {
        QueueFile q;
        try {
            q = CheckpointFiles.read(file, QueueFile.class);
        } catch (IOException | RuntimeException e) {
            throw new IOException("the saved queue " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
        if (q == null) {
            return List.of();
        }
        if (q.version() != VERSION) {
            throw new IOException("the saved queue " + file + " has format version " + q.version()
                    + "; this Ferry reads version " + VERSION);
        }
        return q.items() == null ? List.of() : new ArrayList<>(q.items());
    }

    /** Moves an unreadable queue file aside so it is neither lost nor read again; returns where it went. */
    static Path setAside(Path file) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable-" + Instant.now().toEpochMilli());
        Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        return aside;
    }
}
