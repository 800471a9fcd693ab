package dev.ferry.transfer.event;

import dev.ferry.transfer.TransferState;

/**
 * An immutable snapshot of a transfer's progress.
 *
 * @param total         object size in bytes (-1 while unknown)
 * @param done          bytes of the object that are safely in the temp file (resumed bytes included)
 * @param fetched       bytes received from the network in this run
 * @param rate          bytes per second over the last second
 * @param smoothedRate  exponentially smoothed bytes per second (about 5 s time constant), for ETAs
 * @param etaSeconds    estimated seconds left, or -1 when unknown
 * @param partsDone     parts finished
 * @param partsTotal    parts in the plan
 */
public record Progress(TransferState state, long total, long done, long fetched, long rate, long smoothedRate,
                       long etaSeconds, int partsDone, int partsTotal) {

    public static Progress initial() {
        return new Progress(TransferState.QUEUED, -1, 0, 0, 0, 0, -1, 0, 0);
    }

    /** Fraction done between 0 and 1, or 0 while the size is unknown. */
    public double fraction() {
        if (total <= 0) {
            return total == 0 && state == TransferState.COMPLETED ? 1.0 : 0.0;
        }
        return Math.min(1.0, (double) done / total);
    }
}
