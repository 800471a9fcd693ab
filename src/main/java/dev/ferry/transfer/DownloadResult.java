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
 */
public record DownloadResult(TransferState state, Path destination, ObjectInfo info, long fetched, long reused,
                             String message, Throwable error, FailureKind failureKind) {

    /** Why a download failed, for callers that map failures to exit codes or UI hints. */
    public enum FailureKind {
        NONE,
        /** The request cannot work as given: missing object or bucket, denied, destination problems. */
        INPUT,
        /** Network, server or local I/O trouble; running again may succeed (the checkpoint is kept). */
        TRANSIENT,
        /** The object changed during the download; partial data was discarded. */
        SOURCE_CHANGED,
        /** Local disk is full; the checkpoint is kept. */
        DISK_FULL,
        /** Another process is working on the same file. */
        BUSY
    }

    public boolean succeeded() {
        return state == TransferState.COMPLETED;
    }
}
