package dev.ferry.transfer.checkpoint;

import java.util.Map;

/** Which version of an object a checkpoint belongs to: a resume goes on only if all of it still holds. */
public record ObjectIdentity(String etag, long size, String lastModified, String versionId,
                             Map<String, String> checksums) {
}
