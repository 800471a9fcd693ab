package dev.ferry.storage;

import java.util.Map;

/**
 * What a HEAD (or a listing) says about an object: the identity a resumed transfer must match.
 *
 * @param etag         the entity tag exactly as the server sent it (with its quotes), or null
 * @param lastModified the Last-Modified header as sent, or null
 * @param checksums    checksum headers by lower-case name with their values as sent (e.g.
 *                     {@code x-amz-checksum-crc32c}, or TOS' {@code x-tos-hash-crc64ecma}, an unsigned decimal
 *                     read by {@link Crc64#from}), never null
 * @param etagIsMd5    the store vouches that the ETag is the MD5 of the content (single-part upload,
 *                     no KMS or customer-key encryption)
 * @param metadata     what a copy carries over, by lower-case header name: content-type, content-encoding,
 *                     content-disposition, content-language, cache-control, expires and x-amz-meta-* (x-tos-meta-*
 *                     from a TOS store); never null
 * @param size         the size in bytes, or {@link #UNKNOWN_SIZE} when the server did not say (a plain link
 *                     served without a length)
 * @param rangeReads   whether the server serves byte ranges; without them (a plain link) the object can only
 *                     be read as one stream from its first byte
 */
public record ObjectInfo(ObjectRef ref, long size, String etag, String lastModified, String versionId,
                         String contentType, Map<String, String> checksums, boolean etagIsMd5,
                         Map<String, String> metadata, boolean rangeReads) {
    public static final long UNKNOWN_SIZE = -1;

    public ObjectInfo {
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (size < UNKNOWN_SIZE) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /** An object of an object store, which always serves byte ranges. */
    public ObjectInfo(ObjectRef ref, long size, String etag, String lastModified, String versionId,
                      String contentType, Map<String, String> checksums, boolean etagIsMd5,
                      Map<String, String> metadata) {
        this(ref, size, etag, lastModified, versionId, contentType, checksums, etagIsMd5, metadata, true);
    }

    /**
     * What a listing says of an object, as a HEAD would: size, ETag and time (ISO-8601). Whether the ETag is the
     * content's MD5 a listing cannot tell (under KMS or a customer key it is not): it is taken as one when it looks
     * like one, and a download whose file does not match it asks a HEAD before calling the file bad.
     */
    public static ObjectInfo listed(ObjectRef ref, ObjectSummary o) {
        return new ObjectInfo(ref, o.size(), o.etag(), o.lastModified() == null ? null : o.lastModified().toString(),
                null, null, Map.of(), Etags.looksLikeMd5(o.etag()), Map.of());
    }

    public boolean sizeKnown() {
        return size != UNKNOWN_SIZE;
    }

    /** Whether the object can be fetched as parallel ranges: its size is known and ranges are served. */
    public boolean parallelReads() {
        return rangeReads && sizeKnown();
    }

    /** The same object with its size as counted while reading it to the end. */
    public ObjectInfo withSize(long counted) {
        return new ObjectInfo(ref, counted, etag, lastModified, versionId, contentType, checksums, etagIsMd5,
                metadata, rangeReads);
    }

    /** The ETag without quotes (and without a weak-validator prefix). */
    public String bareEtag() {
        return Etags.bare(etag);
    }
}
