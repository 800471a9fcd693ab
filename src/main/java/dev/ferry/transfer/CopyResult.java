package dev.ferry.transfer;

import dev.ferry.storage.ObjectInfo;

/**
 * How a copy run ended.
 *
 * @param info     the source as HEAD saw it, null if it never answered
 * @param copied   bytes copied by parts finished in this run
 * @param reused   bytes of parts an earlier run had copied
 * @param parts    parts copied in this run (a single CopyObject counts as one)
 * @param etag     the new object's ETag when completed
 * @param alreadyThere completed because the destination already was the copy: nothing was written in this run
 */
public record CopyResult(TransferState state, CopyRequest request, ObjectInfo info, long copied, long reused,
                         int parts, String etag, String message, Throwable error, FailureKind failureKind,
                         boolean alreadyThere) {
    public boolean succeeded() {
        return state == TransferState.COMPLETED;
    }

    /** The same result, said in other words. */
    public CopyResult withMessage(String m) {
        return new CopyResult(state, request, info, copied, reused, parts, etag, m, error, failureKind, alreadyThere);
    }
}
