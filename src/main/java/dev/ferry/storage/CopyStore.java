package dev.ferry.storage;

import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A store that copies objects server-side: single CopyObject and multipart uploads whose parts are
 * copied from another object (UploadPartCopy). Retries and cancellation behave as in {@link ObjectStore}.
 * A copy answered with HTTP 200 but an error document is reported as the error it is.
 */
public interface CopyStore extends ObjectStore {

    /** A part of a multipart upload as the server holds it. */
    record UploadedPart(int number, String etag, long size) {
    }

    /**
     * A multipart upload in progress.
     *
     * @param initiated when the server started it, by the server's clock; null when the listing does not say
     */
    record MultipartUpload(String key, String uploadId, Instant initiated) {
        public MultipartUpload(String key, String uploadId) {
            this(key, uploadId, null);
        }
    }

    /**
     * Starts a multipart upload of {@code dest}.
     *
     * @param metadata headers the new object carries: Content-Type, Content-Encoding, Content-Disposition,
     *                 Content-Language, Cache-Control, Expires and {@code x-amz-meta-*} ({@code x-tos-meta-*} for
     *                 TOS) (names in lower case)
     * @return the upload id
     */
    String createMultipartUpload(ObjectRef dest, Map<String, String> metadata, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /**
     * Copies bytes {@code start..endInclusive} of {@code source} into part {@code partNumber}, only if the
     * source's ETag still equals {@code sourceIfMatch} (when not null). Returns the part's ETag.
     */
    String uploadPartCopy(ObjectRef dest, String uploadId, int partNumber, ObjectRef source, long start,
                          long endInclusive, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /**
     * Completes the upload from the given parts (in part-number order). Returns the new object's ETag.
     * An upload that no longer exists fails with code {@code NoSuchUpload} (or {@code InvalidPart}).
     */
    String completeMultipartUpload(ObjectRef dest, String uploadId, List<UploadedPart> parts, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /**
     * What a completed upload reports about the new object.
     *
     * @param etag      the new object's ETag as sent
     * @param checksums whole-object checksums the answer carried, by lower-case header name (such as
     *                  {@code x-tos-hash-crc64ecma}, see {@link Crc64}); empty when it carried none, never null
     */
    record CompletedUpload(String etag, Map<String, String> checksums) {
        public CompletedUpload {
            checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        }
    }

    /**
     * {@link #completeMultipartUpload} that also returns the checksums the store reported for the new object,
     * so a caller can compare them with the source's. Stores whose answer carries none report an empty map.
     */
    default CompletedUpload completeMultipartUploadWithChecksums(ObjectRef dest, String uploadId,
                                                                 List<UploadedPart> parts, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return new CompletedUpload(completeMultipartUpload(dest, uploadId, parts, cancel), Map.of());
    }

    void abortMultipartUpload(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /** Every part of the upload (all pages). */
    List<UploadedPart> listParts(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /** Multipart uploads in progress under {@code prefix} (all pages). */
    List<MultipartUpload> listMultipartUploads(String bucket, String prefix, CancelSignal cancel)
            throws StoreException, InterruptedIOException;

    /**
     * Copies a whole object in one request, metadata included, only if the source's ETag still equals
     * {@code sourceIfMatch} (when not null). Returns the new object's ETag.
     */
    String copyObject(ObjectRef source, ObjectRef dest, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException;
}
