package dev.ferry.profiles;

/** The protocol a connection speaks. Only S3 is supported so far; TOS is reserved for Volcengine TOS. */
public enum StoreKind {
    S3("S3-compatible", true),
    TOS("Volcengine TOS", false);

    private final String label;
    private final boolean supported;

    StoreKind(String label, boolean supported) {
        this.label = label;
        this.supported = supported;
    }

    /** A name to show people. */
    public String label() {
        return label;
    }

    /** Whether this version of Ferry can connect to such a store. */
    public boolean supported() {
        return supported;
    }
}
