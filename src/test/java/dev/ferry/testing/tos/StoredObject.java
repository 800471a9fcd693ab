package dev.ferry.testing.tos;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import dev.ferry.storage.Crc64;

/**
 * One object version as the test server holds it: immutable bytes with their ETag (quoted), CRC-64, time of
 * writing, version id (null in an unversioned bucket) and the headers it is served with (content headers and
 * {@code x-tos-meta-*}, by lower-case name).
 */
public record StoredObject(byte[] content, String etag, long crc64, Instant lastModified, String versionId,
                           Map<String, String> headers) {
    public StoredObject {
        headers = Map.copyOf(headers);
    }

    /** A single-part object: ETag is the quoted MD5, the CRC computed over the bytes. */
    public static StoredObject of(byte[] content, Instant at, String versionId, Map<String, String> headers) {
        return new StoredObject(content, "\"" + HexFormat.of().formatHex(md5(content)) + "\"", Crc64.of(content), at,
                versionId, headers);
    }

    public long size() {
        return content.length;
    }

    public String crc64Decimal() {
        return Crc64.format(crc64);
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
