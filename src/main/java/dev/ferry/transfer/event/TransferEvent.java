package dev.ferry.transfer.event;

import java.time.Instant;

/**
 * Something that happened to a transfer. Part events carry the part number (1-based) and its byte
 * range; other events have {@code part == 0} and {@code rangeStart == rangeEnd == -1}.
 *
 * @param message a human-readable detail (a reason, a decision), never containing credentials
 */
public record TransferEvent(Type type, Instant time, int part, long rangeStart, long rangeEnd, String message) {

    public enum Type {
        /** The run began (once per run). */
        STARTED,
        /** A checkpoint was found and is being continued; the message says what is left. */
        RESUMED,
        /** A checkpoint was found but could not be used; the message says why. Starting over. */
        CHECKPOINT_DISCARDED,
        TEMP_FILE_CREATED,
        /** A copy's multipart upload was created (the message holds its id). */
        UPLOAD_CREATED,
        /** A copy's multipart upload was completed into the new object (the message holds its ETag). */
        UPLOAD_COMPLETED,
        /** A copy's multipart upload was aborted; the message says why. */
        UPLOAD_ABORTED,
        TEMP_FILE_FAILED,
        /** A part finished (exactly once per part per run). */
        PART_SUCCEEDED,
        /** A part's request failed; the message says why and whether it is retried. */
        PART_FAILED,
        /** A part stopped because the transfer was paused, cancelled or failed elsewhere. */
        PART_ABORTED,
        /**
         * An idle connection took the back half of a part still in flight (the event names the new part and its
         * bytes; the part it came from now ends where the new one starts).
         */
        PART_SPLIT,
        /**
         * A part's connection ran far below the pace of the others; the part goes on from the same byte on another
         * connection (the message gives both paces).
         */
        PART_RECONNECTED,
        /** A checkpoint could not be written (the previous one stays valid); the message says why. */
        CHECKPOINT_FAILED,
        VERIFIED,
        RENAME_SUCCEEDED,
        RENAME_FAILED,
        /** Terminal events: exactly one of these ends every run. */
        SUCCEEDED, FAILED, PAUSED, CANCELLED
    }

    public static TransferEvent of(Type type, String message) {
        return new TransferEvent(type, Instant.now(), 0, -1, -1, message);
    }

    public static TransferEvent part(Type type, int part, long start, long endInclusive, String message) {
        return new TransferEvent(type, Instant.now(), part, start, endInclusive, message);
    }

    public boolean isTerminal() {
        return type == Type.SUCCEEDED || type == Type.FAILED || type == Type.PAUSED || type == Type.CANCELLED;
    }
}
