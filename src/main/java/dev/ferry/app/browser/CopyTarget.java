package dev.ferry.app.browser;

import java.util.Optional;

import dev.ferry.storage.ObjectRef;

/**
 * Where a copy goes: a bucket on the same connection and a prefix inside it (empty for the top, otherwise ending
 * in '/'). Picked folders keep their own name below the prefix, as downloads do. {@code replace}: whether the
 * copies may replace objects already there (otherwise such a copy fails and can be run again to replace).
 */
public record CopyTarget(String bucket, String prefix, boolean replace) {
    /** Loose on purpose: S3-compatible stores allow more than AWS's rules (capitals, underscores). */
    private static final String BUCKET_NAME = "[A-Za-z0-9._-]{1,255}";

    public CopyTarget {
        bucket = bucket == null ? "" : bucket.strip();
        prefix = normalizePrefix(prefix);
    }

    public CopyTarget(String bucket, String prefix) {
        this(bucket, prefix, false);
    }

    static boolean isBucketName(String s) {
        return s != null && s.matches(BUCKET_NAME);
    }

    /** " /backup/2024" -> "backup/2024/"; blank -> "". */
    static String normalizePrefix(String raw) {
        String p = raw == null ? "" : raw.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** Why copying {@code picked} here cannot be done, or empty when it can. */
    public Optional<String> problem(Picked picked) {
        if (bucket.isEmpty()) {
            return Optional.of("Choose the bucket to copy to");
        }
        if (!isBucketName(bucket)) {
            return Optional.of("'" + bucket + "' is not a bucket name");
        }
        if (prefix.contains("//")) {
            return Optional.of("The prefix has an empty folder name ('//')");
        }
        for (ObjectRef o : picked.objects()) {
            if (landsOnItself(o, false)) {
                return Optional.of(ontoItself(o.fileName()));
            }
        }
        for (ObjectRef f : picked.folders()) {
            if (landsOnItself(f, true)) {
                return Optional.of(ontoItself(f.key().isEmpty() ? "bucket " + f.bucket() : f.fileName() + "/"));
            }
        }
        return Optional.empty();
    }

    private boolean landsOnItself(ObjectRef ref, boolean folder) {
        return ref.bucket().equals(bucket) && Picked.parentOf(ref, folder).equals(prefix);
    }

    private String ontoItself(String what) {
        return "Copying to " + bucket + "/" + prefix + " would copy " + what
                + " onto itself: choose another bucket or prefix";
    }
}
