package dev.ferry.storage;

import java.util.Objects;

/** One object in a bucket, optionally a specific version of it. */
public record ObjectRef(String bucket, String key, String versionId) {
    public ObjectRef {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (versionId != null && versionId.isEmpty()) {
            versionId = null;
        }
    }

    public static ObjectRef of(String bucket, String key) {
        return new ObjectRef(bucket, key, null);
    }

    /** The last segment of the key, the natural file name of the object. */
    public String fileName() {
        String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        int slash = k.lastIndexOf('/');
        return slash < 0 ? k : k.substring(slash + 1);
    }

    @Override
    public String toString() {
        return bucket + "/" + key + (versionId == null ? "" : " (version " + versionId + ")");
    }
}
