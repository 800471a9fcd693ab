package dev.ferry.app.browser;

import java.util.Optional;

/**
 * Where the browser is: the connection's bucket list (no bucket), or one level of a bucket below
 * {@code prefix} (empty for the top, otherwise ending in '/').
 */
public record Location(String bucket, String prefix) {
    /** The bucket list. */
    public static final Location BUCKETS = new Location(null, "");

    public Location {
        prefix = prefix == null ? "" : prefix;
    }

    public static Location of(String bucket, String prefix) {
        return new Location(bucket, prefix);
    }

    public boolean isBuckets() {
        return bucket == null;
    }

    /** One level up: the parent folder, the bucket's top, then the bucket list. */
    public Location up() {
        if (isBuckets()) {
            return this;
        }
        return prefix.isEmpty() ? BUCKETS : new Location(bucket, parentOf(prefix));
    }

    /** The row's name that leads back here from {@link #up()}: "b/" for "a/b/", the bucket for its top. */
    public String nameInParent() {
        if (isBuckets()) {
            return null;
        }
        return prefix.isEmpty() ? bucket : prefix.substring(parentOf(prefix).length());
    }

    /** Inside a bucket or folder row; objects do not open. */
    public Location into(Entry e) {
        return switch (e.kind()) {
            case BUCKET -> new Location(e.bucket(), "");
            case FOLDER -> new Location(e.bucket(), e.key());
            case OBJECT -> this;
        };
    }

    /** "bucket/prefix/" as the location bar shows it; empty for the bucket list. */
    public String text() {
        return isBuckets() ? "" : bucket + "/" + prefix;
    }

    /**
     * What a person typed into the location bar: "bucket", "bucket/folder", "s3://bucket/folder/" (or tos://);
     * empty text is the bucket list. Empty when it names no bucket.
     */
    public static Optional<Location> parse(String text) {
        String t = text == null ? "" : text.strip();
        for (String scheme : new String[] {"s3://", "tos://"}) {
            if (t.regionMatches(true, 0, scheme, 0, scheme.length())) {
                t = t.substring(scheme.length());
            }
        }
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        if (t.isEmpty()) {
            return Optional.of(BUCKETS);
        }
        int slash = t.indexOf('/');
        String bucket = slash < 0 ? t : t.substring(0, slash);
        String prefix = slash < 0 ? "" : t.substring(slash + 1);
        if (!CopyTarget.isBucketName(bucket)) {
            return Optional.empty();
        }
        return Optional.of(new Location(bucket, prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/"));
    }

    /** "a/b/" -> "a/"; "b/" -> "". */
    static String parentOf(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? "" : trimmed.substring(0, slash + 1);
    }
}
