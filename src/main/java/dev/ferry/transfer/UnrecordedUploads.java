package dev.ferry.transfer;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.StoreException;

/**
 * Finds the multipart uploads a copy started but could not record: a process killed after it sent
 * CreateMultipartUpload and before its checkpoint named the new upload leaves one nobody would complete or
 * abort. Its checkpoint said when the creation began, so the upload is found by what is known of it: the
 * destination key exactly, started at or after that time (by the server's clock, allowing for
 * {@link #CLOCK_SLACK} between the clocks), not the upload the checkpoint does name, and without any part
 * (this copy records an upload before it copies a part into it, so one with parts is someone else's).
 * Those are aborted.
 */
final class UnrecordedUploads {
    /** How far the server's clock may lag this machine's and its uploads still be found. */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(10);

    /** Uploads aborted, and uploads that matched key and time but had parts, so were left alone. */
    record Sweep(List<String> aborted, List<String> spared) {
    }

    private UnrecordedUploads() {
    }

    /** Aborts the uploads of {@code dest} that are this copy's and unrecorded, started from {@code since} on. */
    static Sweep sweep(CopyStore store, ObjectRef dest, Instant since, String recorded, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Instant from = since.minus(CLOCK_SLACK);
        List<String> aborted = new ArrayList<>();
        List<String> spared = new ArrayList<>();
        for (MultipartUpload u : store.listMultipartUploads(dest.bucket(), dest.key(), cancel)) {
            if (!u.key().equals(dest.key()) || u.uploadId().equals(recorded)
                    || (u.initiated() != null && u.initiated().isBefore(from))) {
                continue;
            }
            if (!store.listParts(dest, u.uploadId(), cancel).isEmpty()) {
                spared.add(u.uploadId());
                continue;
            }
            store.abortMultipartUpload(dest, u.uploadId(), cancel);
            aborted.add(u.uploadId());
        }
        return new Sweep(aborted, spared);
    }
}
