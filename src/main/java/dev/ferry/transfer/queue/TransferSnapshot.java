package dev.ferry.transfer.queue;

import java.nio.file.Path;

import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.TransferState;

/**
 * An immutable picture of one queued transfer, taken when asked; what a view shows in a queue row.
 *
 * @param total      object size in bytes, -1 while unknown
 * @param done       bytes finished
 * @param rate       bytes per second over the last second (0 when not running)
 * @param etaSeconds seconds left at the smoothed rate, -1 when unknown
 * @param limit      the transfer's own limit in bytes per second, 0 for none
 * @param message    why it failed, or what it last did; never null
 * @param checkpoint where its checkpoint is kept (null until first started)
 * @param failure    why its last run failed, {@code NONE} unless it is failed
 */
public record TransferSnapshot(long id, TransferSpec.Kind kind, String name, String source, String destination,
                               Path checkpoint, TransferState state, long total, long done, long rate,
                               long etaSeconds, long limit, String message, int partsDone, int partsTotal,
                               FailureKind failure) {

    public double fraction() {
        if (total <= 0) {
            return state == TransferState.COMPLETED ? 1.0 : 0.0;
        }
        return Math.min(1.0, (double) done / total);
    }

    /** A copy that failed because an object is already at its destination: it can be run again to replace it. */
    public boolean isCopyOntoExisting() {
        return kind == TransferSpec.Kind.COPY && state == TransferState.FAILED
                && failure == FailureKind.DESTINATION_EXISTS;
    }

    /** Running in the sense of holding a slot: connecting, transferring or verifying. */
    public boolean isActive() {
        return state == TransferState.CONNECTING || state == TransferState.TRANSFERRING
                || state == TransferState.VERIFYING;
    }
}
