package dev.ferry.storage;

import java.util.Map;

/**
 * What a HEAD (or a listing) says about an object: the identity a resumed transfer must match.
 *
 * @param etag         the entity tag exactly as the server sent it (with its quotes), or null
 * @param lastModified the Last-Modified header as sent, or null
 * @param checksums    checksum headers by lower-case name (e.g. {@code x-amz-checksum-crc32c}), never null
 * @param etagIsMd5    the store vouches that the ETag is the MD5 of the content (single-part upload,
 *                     no KMS or customer-key encryption)
 */
public record ObjectInfo(ObjectRef ref, long size, String etag, String lastModified, String versionId,
                         String contentType, Map<String, String> checksums, boolean etagIsMd5) {
    public ObjectInfo {
        checksums = checksums == null ? Map.of() : Map.copyOf(checksums);
    }

    /** The ETag without quotes (and without a weak-validator prefix). */
    public String bareEtag() {
        return Etags.bare(etag);
    }
}
