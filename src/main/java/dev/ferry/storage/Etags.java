package dev.ferry.storage;

import java.util.regex.Pattern;

/** Entity-tag helpers. */
public final class Etags {
    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");

    private Etags() {
    }

    public static String bare(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    /** The ETag quoted as an If-Match header needs it. */
    public static String quoted(String etag) {
        String b = bare(etag);
        return b == null ? null : "\"" + b + "\"";
    }

    /**
     * True when the ETag is a plain MD5 of the content: 32 hex digits and no part-count suffix. S3 gives
     * such ETags for objects uploaded in one piece without SSE-KMS/SSE-C; a caller treats it as a hint
     * and verifies only where a mismatch cannot be explained by encryption.
     */
    public static boolean looksLikeMd5(String etag) {
        String b = bare(etag);
        return b != null && MD5_HEX.matcher(b).matches();
    }
}
