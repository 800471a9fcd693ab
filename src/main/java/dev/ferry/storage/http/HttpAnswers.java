package dev.ferry.storage.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.ferry.storage.StoreException;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** What every object-store protocol over HTTP reads the same way: failed calls, Retry-After, bounded bodies. */
public final class HttpAnswers {
    private static final byte[] EMPTY = new byte[0];

    private HttpAnswers() {
    }

    /** A call that got no answer, as a client error: retryable unless the host or TLS is wrong. */
    public static StoreException classify(String op, IOException e) {
        if (e instanceof UnknownHostException) {
            return StoreException.client(op, "unknown host " + e.getMessage(), e, false);
        }
        if (e instanceof SSLPeerUnverifiedException || e instanceof SSLHandshakeException) {
            return StoreException.client(op, "TLS verification failed: " + e.getMessage(), e, false);
        }
        if (e instanceof SocketTimeoutException) {
            return StoreException.client(op, "timed out", e, true);
        }
        return StoreException.client(op, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                + e.getMessage()), e, true);
    }

    /** Retry-After in milliseconds (seconds or an HTTP date), -1 when absent or unreadable. */
    public static long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.strip();
        try {
            long seconds = Math.max(0, Long.parseLong(v));
            return seconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
            } catch (RuntimeException notDate) {
                return -1;
            }
        }
    }

    /** The whole body of a document answer, refusing one larger than {@code max} bytes. */
    public static byte[] readBounded(ResponseBody body, int max, String op) throws StoreException {
        if (body == null) {
            return EMPTY;
        }
        try {
            BufferedSource source = body.source();
            if (!source.request(max + 1L)) {
                return source.readByteArray();
            }
        } catch (IOException e) {
            throw StoreException.client(op, "the answer could not be read: " + e.getMessage(), e, true);
        }
        // thrown outside the try: a refusal is final, not a read failure worth retrying
        throw StoreException.client(op, "the server's answer is larger than " + (max >> 20) + " MiB", null, false);
    }

    /**
     * HTTP clients resolve "." and ".." path segments (OkHttp does, even percent-encoded), so a key such
     * as {@code a/../b} would silently address {@code b}. Such keys are refused rather than mistaken.
     */
    public static void refuseDotSegments(String op, String key) throws StoreException {
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw StoreException.client(op, "the key '" + key + "' has a '" + segment
                        + "' path segment, which cannot be addressed over HTTP without being rewritten", null, false);
            }
        }
    }
}
