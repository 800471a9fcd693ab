package dev.ferry.transfer;

import java.nio.file.Path;

import dev.ferry.storage.ObjectInfo;

/**
 * How a download run ended.
 *
 * @param info     the object as HEAD saw it, null if it never answered
 * @param fetched  bytes received from the network in this run
 * @param reused   bytes taken from an earlier run's checkpoint
 * @param message  for FAILED the reason; otherwise a short summary
 * @param error    for FAILED the exception, if any
 * @param keptPartial a cancel that left the partial data where it was (not this download's to delete: another
 *                    running download's, or a file in the way); the message says which
 */
public record DownloadResult(TransferState state, Path destination, ObjectInfo info, long fetched, long reused,
                             String message, Throwable error, FailureKind failureKind, boolean keptPartial) {


    public boolean succeeded() {
        return state == TransferState.COMPLETED;
    }
}
