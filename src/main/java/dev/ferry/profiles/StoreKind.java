package dev.ferry.profiles;

/**
 * The protocol a connection speaks: S3 (SigV4; Amazon S3 and every S3-compatible store, including TOS' {@code tos-s3-}
 * endpoints) or Volcengine TOS' own (TOS4-HMAC-SHA256 on {@code tos-<region>.volces.com}).
 */
public enum StoreKind {
    S3("S3-compatible", "s3://"),
    TOS("Volcengine TOS", "tos://");

    private final String label;
    private final String scheme;

    StoreKind(String label, String scheme) {
        this.label = label;
        this.scheme = scheme;
    }

    /** A name to show people. */
    public String label() {
        return label;
    }

    /** How links to this kind's objects start: "s3://" or "tos://". */
    public String scheme() {
        return scheme;
    }
}
