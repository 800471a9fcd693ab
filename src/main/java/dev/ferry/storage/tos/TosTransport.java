package dev.ferry.storage.tos;

import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;


import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Signing;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.Exchange;
import dev.ferry.storage.http.Exchange.Sent;
import dev.ferry.storage.http.HttpAnswers;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends TOS requests: addressing, header signing (afresh for every attempt), retries with full-jitter
 * back-off and Retry-After, and TOS errors turned into {@link StoreException}s. Thread-safe.
 */
final class TosTransport {
    /** Result documents larger than this are refused rather than parsed. */
    static final int MAX_DOCUMENT_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final byte[] EMPTY = new byte[0];
    private static final Set<String> RETRYABLE_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout", "TooManyRequests", "ExceedAccountQPSLimit", "ExceedAccountRateLimit",
            "ExceedBucketQPSLimit", "ExceedBucketRateLimit");
    /** Error codes a 2xx answer may carry, with the status TOS answers them with elsewhere. */
    private static final Map<String, Integer> EMBEDDED_ERROR_STATUS = Map.ofEntries(
            Map.entry("InternalError", 500), Map.entry("ServiceUnavailable", 503), Map.entry("SlowDown", 503),
            Map.entry("RequestTimeout", 400), Map.entry("AccessDenied", 403), Map.entry("NoSuchKey", 404),
            Map.entry("NoSuchBucket", 404), Map.entry("NoSuchUpload", 404), Map.entry("PreconditionFailed", 412),
            Map.entry("InvalidPart", 400), Map.entry("InvalidPartOrder", 400), Map.entry("EntityTooSmall", 400),
            Map.entry("InvalidRequest", 400), Map.entry("InvalidArgument", 400), Map.entry("InvalidRange", 416));

    private final TosConfig config;
    private final OkHttpClient http;
    private final RetryPolicy retry;
    private final TosSigner signer;

    TosTransport(TosConfig config, OkHttpClient http, RetryPolicy retry, Clock clock) {
        this.config = config;
        this.http = http;
        this.retry = retry;
        this.signer = new TosSigner(config.region(), config.credentials(), clock);
    }

    TosConfig config() {
        return config;
    }

    TosSigner signer() {
        return signer;
    }

    /**
     * Sends a request, retrying transient failures with back-off; each attempt is signed afresh. Returns a
     * 2xx answer, with its body read into {@link Sent#document()} (and closed) when {@code document} is set,
     * else open for the caller to read and close.
     *
     * @param bucket null for a request to the endpoint itself (ListBuckets)
     * @param key    the object key, "" for a bucket-level request
     */
    Sent send(String op, String method, String bucket, String key, Map<String, String> query,
              Map<String, String> headers, RequestBody body, boolean document, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        HttpAnswers.refuseDotSegments(op, key);
        return Exchange.send(http, retry, cancel, op, () -> buildRequest(method, bucket, key, query, headers, body),
                document, MAX_DOCUMENT_BYTES, ERRORS);
    }

    /** How TOS fails: a JSON error document, in an error answer or (for copies and Complete) in a 200. */
    private static final Exchange.Errors ERRORS = new Exchange.Errors(TosTransport::serverError,
            TosTransport::embeddedError);

    private static StoreException embeddedError(String op, Response r, byte[] document) {
        TosJson.Error e = TosJson.parseEmbeddedError(document);
        return e == null ? null : errorOf(op, EMBEDDED_ERROR_STATUS.getOrDefault(e.code(), 500), e, r);
    }

    // ---------------------------------------------------------------- building and signing

    private Request buildRequest(String method, String bucket, String key, Map<String, String> query,
                                 Map<String, String> headers, RequestBody body) {
        Target target = target(bucket, key);
        HttpUrl.Builder url = target.url();
        String encodedQuery = TosSigner.canonicalQuery(query);
        if (!encodedQuery.isEmpty()) {
            url.encodedQuery(encodedQuery);
        }
        HttpUrl httpUrl = url.build();
        String hostHeader = hostHeader(httpUrl);
        Map<String, String> auth = signer.signHeaders(method, hostHeader, target.path(), query, headers, null);

        Request.Builder rb = new Request.Builder().url(httpUrl).header("Host", hostHeader);
        headers.forEach(rb::header);
        auth.forEach(rb::header);
        if (body == null && (method.equals("PUT") || method.equals("POST"))) {
            body = RequestBody.create(EMPTY, (MediaType) null);
        }
        rb.method(method, body);
        return rb.build();
    }

    /** Where a request goes: the URL without its query, and the decoded path that is signed. */
    record Target(HttpUrl.Builder url, String path) {
    }

    /** Opens connections ahead to where {@code bucket}'s objects are served ({@link HttpClients#connectAhead}). */
    void connectAhead(String bucket, int connections) {
        HttpUrl url = target(bucket, "").url().build();
        HttpClients.connectAhead(http, url.scheme(), url.host(), url.port(), connections);
    }

    /**
     * Virtual-hosted ({@code bucket.host/key}) or path-style ({@code host/bucket/key}) addressing; a null bucket
     * is the endpoint itself.
     */
    Target target(String bucket, String key) {
        boolean pathStyle = bucket != null && config.usesPathStyle(bucket);
        String host = config.endpoint().getHost();
        if (bucket != null && !pathStyle) {
            host = bucket + "." + host;
        }
        String path = "/" + (pathStyle ? bucket + "/" : "") + key;
        HttpUrl.Builder url = new HttpUrl.Builder()
                .scheme(config.endpoint().getScheme().toLowerCase(Locale.ROOT))
                .host(stripBrackets(host))
                .encodedPath(Signing.uriEncode(path, false));
        if (config.endpoint().getPort() > 0) {
            url.port(config.endpoint().getPort());
        }
        return new Target(url, path);
    }

    /** The Host header value as sent and signed: the port only when it is not the scheme's default. */
    static String hostHeader(HttpUrl url) {
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    // ---------------------------------------------------------------- errors

    static StoreException serverError(String op, Response r) {
        byte[] body = EMPTY;
        try {
            body = HttpAnswers.readBounded(r.body(), MAX_ERROR_BYTES, op);
        } catch (StoreException | RuntimeException ignored) {
            // an unreadable error body still leaves the status and the headers
        }
        return errorOf(op, r.code(), TosJson.parseError(body), r);
    }

    /**
     * The error as a {@link StoreException} whose message shows the code, the message, TOS' finer-grained EC
     * and the request id; a body without them (a HEAD answer has none) falls back on the headers.
     */
    static StoreException errorOf(String op, int status, TosJson.Error e, Response r) {
        String code = e != null ? e.code() : genericCode(status);
        String requestId = e != null && e.requestId() != null ? e.requestId() : r.header("x-tos-request-id");
        String ec = e != null && e.ec() != null ? e.ec() : r.header("x-tos-ec");
        String message = e != null ? e.message() : null;
        if (ec != null && !ec.isBlank()) {
            message = (message == null || message.isBlank() ? "" : message.strip() + " ") + "[EC " + ec.strip() + "]";
        }
        boolean retryable = status >= 500 && status != 501 || status == 429 || status == 408
                || code != null && RETRYABLE_CODES.contains(code);
        return StoreException.server(op, status, code, message, requestId, retryable);
    }

    /** The code an answer without an error document stands for. */
    static String genericCode(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 412 -> "PreconditionFailed";
            case 416 -> "InvalidRange";
            default -> null;
        };
    }

    static boolean isGenericCode(String code) {
        return code.equals("NotFound") || code.equals("Forbidden") || code.equals("BadRequest");
    }


}
