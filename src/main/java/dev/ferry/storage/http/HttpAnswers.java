package dev.ferry.storage.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.StoreException;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** What every object-store protocol over HTTP reads the same way: failed calls, Retry-After, bounded bodies. */
public final class HttpAnswers {
    private static final byte[] EMPTY = new byte[0];

    private HttpAnswers() {
    }

    /** A call that got no answer, as a client error: retryable unless the host or TLS is wrong. */
    public static StoreException classify(String op, IOException e) {
        Failure f = describe(e);
        return StoreException.client(op, f.text(), e, f.retryable());
    }

    /** What a call that got no answer says of itself, and whether another try may help. */
    public record Failure(String text, boolean retryable) {
    }

    public static Failure describe(IOException e) {
        if (e instanceof UnknownHostException) {
            return new Failure("unknown host " + e.getMessage(), false);
        }
        if (e instanceof SSLPeerUnverifiedException || e instanceof SSLHandshakeException) {
            return new Failure("TLS verification failed: " + e.getMessage(), false);
        }
        if (e instanceof SocketTimeoutException) {
            return new Failure("timed out", true);
        }
        return new Failure(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), true);
    }

    /** A number header (Content-Length, a Content-Range bound), or -1 when absent or not a number ("*"). */
    static long parseLength(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.strip());
        } catch (NumberFormatException unknown) {
            return -1;
        }
    }

    /** The total of a Content-Range ({@code bytes 0-0/1234} or {@code bytes *}{@code /1234}), -1 when unknown. */
    static long contentRangeTotal(String contentRange) {
        int slash = contentRange == null ? -1 : contentRange.lastIndexOf('/');
        return slash < 0 ? -1 : parseLength(contentRange.substring(slash + 1));
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

    /**
     * The body of an object store's answer to a ranged GET of {@code [start, endInclusive]}: a 206 with exactly
     * that Content-Range, or a 200 when the range starts at 0 (a server that ignores Range sends the whole object,
     * which is only that range when it is the whole object); the length must be the range's. Anything else
     * closes the answer and is a retryable error.
     */
    public static OkRangeBody rangeBody(Exchange.Sent sent, long start, long endInclusive,
                                        CancelSignal cancel) throws StoreException {
        Response r = sent.response();
        long expected = endInclusive - start + 1;
        try {
            String contentLength = r.header("Content-Length");
            if (r.code() == 206) {
                String cr = r.header("Content-Range");
                String want = "bytes " + start + "-" + endInclusive + "/";
                if (cr == null || !cr.startsWith(want)) {
                    throw StoreException.client("GetObject", "the server answered range " + start + "-"
                            + endInclusive + " with Content-Range " + cr, null, true);
                }
            } else if (!(r.code() == 200 && start == 0)) {
                throw StoreException.client("GetObject", "the server answered a range request with HTTP "
                        + r.code(), null, true);
            }
            if (contentLength != null && !contentLength.equals(Long.toString(expected))) {
                throw StoreException.client("GetObject", "the server sent " + contentLength
                        + " bytes for a range of " + expected, null, true);
            }
            return new OkRangeBody(sent.call(), r, start, expected, cancel);
        } catch (StoreException e) {
            r.close();
            throw e;
        }
    }

    /** Reads a document out of a 2xx answer. */
    @FunctionalInterface
    public interface Parse<T> {
        T parse() throws IOException;
    }

    /** A 2xx answer whose document makes no sense is final: asking again would most likely get the same. */
    public static <T> T parsed(String op, Parse<T> parse) throws StoreException {
        try {
            return parse.parse();
        } catch (IOException | RuntimeException e) {
            throw StoreException.client(op, "the answer could not be read: " + e.getMessage(), e, false);
        }
    }
}
