package dev.ferry.cli;

import java.util.Objects;

/**
 * {@code s3://bucket/key} or {@code tos://bucket/key}: which protocol, a bucket and a key (the key may be empty
 * or a prefix ending in '/'). The scheme chooses the store: S3 (SigV4, AWS credentials) or Volcengine TOS in its
 * own protocol (TOS4-HMAC-SHA256, TOS credentials).
 */
public record ObjectUri(Scheme scheme, String bucket, String key) {
    private static final String EXPECTED = "(expected s3://bucket/key or tos://bucket/key)";

    /** The protocol a URI names. */
    public enum Scheme {
        S3("s3"), TOS("tos");

        private final String prefix;

        Scheme(String name) {
            this.prefix = name + "://";
        }

        /** "s3://" or "tos://". */
        public String prefix() {
            return prefix;
        }

        static Scheme of(String text) {
            if (text != null) {
                for (Scheme s : values()) {
                    if (text.regionMatches(true, 0, s.prefix, 0, s.prefix.length())) {
                        return s;
                    }
                }
            }
            return null;
        }
    }

    public ObjectUri {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /** A URI that names a bucket, and maybe a key or prefix in it. */
    public static ObjectUri parse(String text) {
        ObjectUri u = parseLocation(text);
        if (u.bucket.isEmpty()) {
            throw new UsageException("no bucket in '" + text + "' " + EXPECTED);
        }
        return u;
    }

    /** Like {@link #parse}, but {@code s3://} and {@code tos://} alone (no bucket) are allowed: the bucket list. */
    public static ObjectUri parseLocation(String text) {
        Scheme scheme = Scheme.of(text);
        if (scheme == null) {
            throw new UsageException("not an S3 or TOS URI: '" + text + "' " + EXPECTED);
        }
        String rest = text.substring(scheme.prefix().length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty() && !key.isEmpty()) {
            throw new UsageException("no bucket in '" + text + "' " + EXPECTED);
        }
        if (!bucket.isEmpty() && !bucket.matches("[A-Za-z0-9._-]{1,255}")) {
            throw new UsageException("invalid bucket name '" + bucket + "'");
        }
        return new ObjectUri(scheme, bucket, key);
    }

    public static ObjectUri s3(String bucket, String key) {
        return new ObjectUri(Scheme.S3, bucket, key);
    }

    public static ObjectUri tos(String bucket, String key) {
        return new ObjectUri(Scheme.TOS, bucket, key);
    }

    /** The same scheme and bucket with another key. */
    public ObjectUri withKey(String k) {
        return new ObjectUri(scheme, bucket, k);
    }

    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** No bucket: the endpoint's bucket list. */
    public boolean isBucketList() {
        return bucket.isEmpty();
    }

    @Override
    public String toString() {
        return bucket.isEmpty() ? scheme.prefix() : scheme.prefix() + bucket + "/" + key;
    }
}
