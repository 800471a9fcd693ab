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
 */
public record ObjectInfo(ObjectRef ref, long size, String etag, String lastModified, String versionId,
                         String contentType, Map<String, String> checksums, boolean etagIsMd5,
                         Map<String, String> metadata) {
    public ObjectInfo {
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** The ETag without quotes (and without a weak-validator prefix). */
    public String bareEtag() {
        return Etags.bare(etag);
    }
}
