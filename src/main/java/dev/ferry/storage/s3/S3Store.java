package dev.ferry.storage.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;


import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.BucketsPage;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.MultipartPages;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.RangeBody;
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
 * S3 over OkHttp: SigV4 header auth, path-style or virtual-hosted addressing, retries, server-side
 * copies. Thread-safe.
 */
public final class S3Store implements CopyStore {
    /** Error and listing documents larger than this are refused rather than parsed. */
    static final int MAX_DOCUMENT_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final byte[] EMPTY = new byte[0];
    /** Standard headers a copy carries over, besides x-amz-meta-*. */
    static final java.util.Set<String> CARRIED_HEADERS = java.util.Set.of("content-type", "content-encoding",
            "content-disposition", "content-language", "cache-control", "expires");
    private static final String CONTENT_SHA256 = "x-amz-content-sha256";
    private static final MediaType XML = MediaType.get("application/xml");
    /** Error codes S3 may put in a 200 answer, with the status it answers them with elsewhere. */
    private static final Map<String, Integer> EMBEDDED_ERROR_STATUS = Map.ofEntries(
            Map.entry("InternalError", 500), Map.entry("ServiceUnavailable", 503), Map.entry("SlowDown", 503),
            Map.entry("RequestTimeout", 400), Map.entry("AccessDenied", 403), Map.entry("NoSuchKey", 404),
            Map.entry("NoSuchBucket", 404), Map.entry("NoSuchUpload", 404), Map.entry("NoSuchVersion", 404),
            Map.entry("PreconditionFailed", 412), Map.entry("InvalidPart", 400), Map.entry("InvalidPartOrder", 400),
            Map.entry("EntityTooSmall", 400), Map.entry("InvalidRequest", 400), Map.entry("InvalidArgument", 400),
            Map.entry("InvalidRange", 416));

    private final S3Config config;
    private final OkHttpClient http;
    private final RetryPolicy retry;
    private final SigV4Signer signer;

    public S3Store(S3Config config, OkHttpClient http, RetryPolicy retry) {
        this.config = config;
        this.http = http;
        this.retry = retry;
        this.signer = new SigV4Signer(config.region(), "s3", config.credentials());
    }

    /**
     * Loads the XML reader ahead of the first answer that needs it. A command-line copy calls this on a
     * background thread at start, so the cost overlaps the network instead of following it.
     */
    public static void warmUp() {
        S3Xml.warmUp();
    }

    public S3Config config() {
        return config;
    }

    @Override
    public String endpointId() {
        return config.endpointId();
    }

    @Override
    public ObjectInfo head(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
        Map<String, String> headers = Map.of("x-amz-checksum-mode", "ENABLED");
        try (Response r = send("HeadObject", "HEAD", ref.bucket(), ref.key(), versionQuery(ref), headers, null, cancel)) {
            return toInfo(ref, r);
        } catch (StoreException e) {
            throw explainHeadError(ref, e, cancel);
        }
    }

    @Override
    public void connectAhead(ObjectRef ref, int connections) {
        HttpClients.connectAhead(http, config.endpoint().getScheme().toLowerCase(Locale.ROOT),
                stripBrackets(host(ref.bucket())), config.endpoint().getPort(), connections);
    }

    @Override
    public RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("range", "bytes=" + start + "-" + endInclusive);
        if (ifMatch != null) {
            headers.put("if-match", Etags.quoted(ifMatch));
        }
        return HttpAnswers.rangeBody(sendCall("GetObject", "GET", ref.bucket(), ref.key(), versionQuery(ref),
                headers, null, false, cancel), start, endInclusive, cancel);
    }

    /**
     * ListBuckets: GET on the endpoint itself, whatever the addressing style. S3 pages the answer only when
     * asked to, but a server that pages anyway is followed through its ContinuationToken.
     */
    @Override
    public List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException, InterruptedIOException {
        return BucketsPage.all(token -> {
            Map<String, String> query = token == null ? Map.of() : Map.of("continuation-token", token);
            byte[] doc = sendForDocument("ListBuckets", "GET", null, "", query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListBuckets", () -> S3Xml.parseBuckets(doc));
        });
    }

    @Override
    public ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                         CancelSignal cancel) throws StoreException, InterruptedIOException {
        Map<String, String> q = ListPage.query(prefix, delimiter, continuationToken, maxKeys);
        q.put("encoding-type", "url");
        try (Response r = send("ListObjectsV2", "GET", bucket, "", q, Map.of(), null, cancel)) {
            byte[] body = HttpAnswers.readBounded(r.body(), MAX_DOCUMENT_BYTES, "ListObjectsV2");
            ListPage page;
            try {
                page = S3Xml.parseList(body);
            } catch (IOException | RuntimeException e) {
                throw StoreException.client("ListObjectsV2", "the listing could not be read: " + e.getMessage(), e, false);
            }
            return page.advancing("ListObjectsV2", continuationToken);
        }
    }

    /** Creates a bucket (used by tests and tools; the engine never creates buckets). */
    public void createBucket(String bucket, CancelSignal cancel) throws StoreException, InterruptedIOException {
        send("CreateBucket", "PUT", bucket, "", Map.of(), Map.of(), RequestBody.create(EMPTY), cancel).close();
    }

    /** Uploads an object in one request. */
    public String putObject(ObjectRef ref, RequestBody body, Map<String, String> headers, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        try (Response r = send("PutObject", "PUT", ref.bucket(), ref.key(), Map.of(), headers, body, cancel)) {
            return r.header("ETag");
        }
    }

    public void deleteObject(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
        send("DeleteObject", "DELETE", ref.bucket(), ref.key(), versionQuery(ref), Map.of(), null, cancel).close();
    }

    // ---------------------------------------------------------------- server-side copy

    @Override
    public String createMultipartUpload(ObjectRef dest, Map<String, String> metadata, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        byte[] doc = sendForDocument("CreateMultipartUpload", "POST", dest.bucket(), dest.key(), Map.of("uploads", ""),
                carried(metadata), null, cancel);
        return HttpAnswers.parsed("CreateMultipartUpload", () -> S3Xml.parseUploadId(doc));
    }

    @Override
    public String uploadPartCopy(ObjectRef dest, String uploadId, int partNumber, ObjectRef source, long start,
                                 long endInclusive, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> query = Map.of("partNumber", Integer.toString(partNumber), "uploadId", uploadId);
        Map<String, String> headers = copySource("UploadPartCopy", source, sourceIfMatch);
        headers.put("x-amz-copy-source-range", "bytes=" + start + "-" + endInclusive);
        byte[] doc = sendForDocument("UploadPartCopy", "PUT", dest.bucket(), dest.key(), query, headers, null, cancel);
        return HttpAnswers.parsed("UploadPartCopy", () -> S3Xml.parseEtag(doc));
    }

    /** Parts go out sorted by number whatever order they come in, since S3 refuses any other order. */
    @Override
    public String completeMultipartUpload(ObjectRef dest, String uploadId, List<UploadedPart> parts,
                                          CancelSignal cancel) throws StoreException, InterruptedIOException {
        List<UploadedPart> ordered = parts.stream().sorted(Comparator.comparingInt(UploadedPart::number)).toList();
        String xml = S3Xml.completeBody(ordered);
        Map<String, String> headers = Map.of(CONTENT_SHA256, Signing.sha256Hex(xml));
        // from bytes: a String body would get "; charset=utf-8" appended to its Content-Type
        RequestBody body = RequestBody.create(xml.getBytes(StandardCharsets.UTF_8), XML);
        byte[] doc = sendForDocument("CompleteMultipartUpload", "POST", dest.bucket(), dest.key(),
                Map.of("uploadId", uploadId), headers, body, cancel);
        return HttpAnswers.parsed("CompleteMultipartUpload", () -> S3Xml.parseEtag(doc));
    }

    /**
     * Aborts the upload. An upload the server no longer knows (NoSuchUpload) counts as aborted: what the
     * caller wants, that no upload and no parts remain, holds either way, and a retried abort whose first
     * attempt got through must not fail.
     */
    @Override
    public void abortMultipartUpload(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        try {
            send("AbortMultipartUpload", "DELETE", dest.bucket(), dest.key(), Map.of("uploadId", uploadId), Map.of(),
                    null, cancel).close();
        } catch (StoreException e) {
            if (!"NoSuchUpload".equals(e.code())) {
                throw e;
            }
        }
    }

    /**
     * The part-number-marker goes out only from the second page on: s3proxy answers it with 501
     * NotImplemented (it never pages parts anyway), and the first page needs none.
     */
    @Override
    public List<UploadedPart> listParts(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return MultipartPages.allParts(marker -> {
            Map<String, String> query = new TreeMap<>(Map.of("uploadId", uploadId, "max-parts", "1000"));
            if (marker != null) {
                query.put("part-number-marker", marker.toString());
            }
            byte[] doc = sendForDocument("ListParts", "GET", dest.bucket(), dest.key(), query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListParts", () -> S3Xml.parseParts(doc));
        });
    }

    @Override
    public List<MultipartUpload> listMultipartUploads(String bucket, String prefix, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return MultipartPages.allUploads(previous -> {
            Map<String, String> query = new TreeMap<>(Map.of("uploads", "", "encoding-type", "url"));
            if (prefix != null && !prefix.isEmpty()) {
                query.put("prefix", prefix);
            }
            if (previous != null) {
                query.put("key-marker", previous.nextKeyMarker());
                if (previous.nextUploadIdMarker() != null) {
                    query.put("upload-id-marker", previous.nextUploadIdMarker());
                }
            }
            byte[] doc = sendForDocument("ListMultipartUploads", "GET", bucket, "", query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListMultipartUploads", () -> S3Xml.parseUploads(doc));
        });
    }

    @Override
    public String copyObject(ObjectRef source, ObjectRef dest, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> headers = copySource("CopyObject", source, sourceIfMatch);
        headers.put("x-amz-metadata-directive", "COPY");
        byte[] doc = sendForDocument("CopyObject", "PUT", dest.bucket(), dest.key(), Map.of(), headers, null, cancel);
        return HttpAnswers.parsed("CopyObject", () -> S3Xml.parseEtag(doc));
    }

    @Override
    public void close() {
        // the OkHttp client is shared and owned by whoever built it
    }

    /** The metadata headers as sent; anything else would change more than the copy's metadata, so it is refused. */
    private static Map<String, String> carried(Map<String, String> metadata) {
        Map<String, String> headers = new TreeMap<>();
        metadata.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("x-amz-meta-") && !CARRIED_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("not a metadata header a copy carries: " + name);
            }
            headers.put(lower, value);
        });
        return headers;
    }

    /**
     * x-amz-copy-source names the source as a URL-encoded path (plus its version), and the If-Match guard
     * makes the server refuse a source that changed since the caller looked at it.
     */
    private static Map<String, String> copySource(String op, ObjectRef source, String ifMatch) throws StoreException {
        HttpAnswers.refuseDotSegments(op, source.key());
        String value = "/" + Signing.uriEncode(source.bucket(), true) + "/" + Signing.uriEncode(source.key(), false);
        if (source.versionId() != null) {
            value += "?versionId=" + Signing.uriEncode(source.versionId(), true);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-copy-source", value);
        if (ifMatch != null) {
            headers.put("x-amz-copy-source-if-match", Etags.quoted(ifMatch));
        }
        return headers;
    }

    // ---------------------------------------------------------------- requests

    private static Map<String, String> versionQuery(ObjectRef ref) {
        return ref.versionId() == null ? Map.of() : Map.of("versionId", ref.versionId());
    }

    /**
     * Sends a request, retrying transient failures with back-off; each attempt is signed afresh.
     * Returns a 2xx response (the caller closes it) or throws.
     */
    Response send(String op, String method, String bucket, String key, Map<String, String> query,
                  Map<String, String> headers, RequestBody body, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return sendCall(op, method, bucket, key, query, headers, body, false, cancel).response();
    }

    /**
     * Sends a request whose 2xx answer is an XML document and returns that document. It is read inside
     * the retry loop, so a body cut short and an error document sent with HTTP 200 are retried like any
     * other transient failure.
     */
    private byte[] sendForDocument(String op, String method, String bucket, String key, Map<String, String> query,
                                   Map<String, String> headers, RequestBody body, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return sendCall(op, method, bucket, key, query, headers, body, true, cancel).document();
    }

    /** How S3 fails: an XML error document, in an error answer or (for copies and Complete) in a 200. */
    private static final Exchange.Errors ERRORS = new Exchange.Errors(S3Store::serverError, S3Store::embeddedError);

    private Sent sendCall(String op, String method, String bucket, String key, Map<String, String> query,
                          Map<String, String> headers, RequestBody body, boolean document, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        HttpAnswers.refuseDotSegments(op, key);
        return Exchange.send(http, retry, cancel, op, () -> buildRequest(method, bucket, key, query, headers, body),
                document, MAX_DOCUMENT_BYTES, ERRORS);
    }

    /** The host a request about {@code bucket} goes to: {@code bucket.endpoint} when virtual-hosted. */
    private String host(String bucket) {
        String host = config.endpoint().getHost();
        return bucket != null && !config.usesPathStyle(bucket) ? bucket + "." + host : host;
    }

    /** {@code bucket} is null for a request to the endpoint itself (ListBuckets). */
    private Request buildRequest(String method, String bucket, String key, Map<String, String> query,
                                 Map<String, String> headers, RequestBody body) {
        boolean pathStyle = bucket != null && config.usesPathStyle(bucket);
        String host = host(bucket);
        StringBuilder path = new StringBuilder();
        String base = config.endpoint().getRawPath();
        if (base != null && !base.isEmpty() && !base.equals("/")) {
            path.append(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        }
        path.append('/');
        if (pathStyle) {
            path.append(Signing.uriEncode(bucket, true)).append('/');
        }
        path.append(Signing.uriEncode(key, false));
        String encodedPath = path.toString();
        String encodedQuery = SigV4Signer.canonicalQuery(query);

        HttpUrl.Builder url = new HttpUrl.Builder()
                .scheme(config.endpoint().getScheme().toLowerCase(Locale.ROOT))
                .host(stripBrackets(host))
                .encodedPath(encodedPath);
        if (config.endpoint().getPort() > 0) {
            url.port(config.endpoint().getPort());
        }
        if (!encodedQuery.isEmpty()) {
            url.encodedQuery(encodedQuery);
        }
        HttpUrl httpUrl = url.build();
        String hostHeader = hostHeader(httpUrl);
        // a caller that knows its (small) body's hash passes it, so that body is signed too
        String payloadHash = headers.getOrDefault(CONTENT_SHA256,
                body == null ? SigV4Signer.EMPTY_SHA256 : SigV4Signer.UNSIGNED_PAYLOAD);
        Map<String, String> toSign = new TreeMap<>();
        headers.forEach((k, v) -> {
            String lk = k.toLowerCase(Locale.ROOT);
            if (lk.startsWith("x-amz-") || lk.equals("range") || lk.equals("content-md5")) {
                toSign.put(lk, v);
            }
        });
        Map<String, String> auth = signer.sign(method, hostHeader, httpUrl.encodedPath(), query, toSign, payloadHash,
                Instant.now());

        Request.Builder rb = new Request.Builder().url(httpUrl).header("Host", hostHeader);
        headers.forEach(rb::header);
        auth.forEach(rb::header);
        if (body == null && (method.equals("PUT") || method.equals("POST"))) {
            body = RequestBody.create(EMPTY, (MediaType) null);
        }
        rb.method(method, body);
        return rb.build();
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String hostHeader(HttpUrl url) {
        String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? host : host + ":" + url.port();
    }

    // ---------------------------------------------------------------- answers

    private static ObjectInfo toInfo(ObjectRef ref, Response r) throws StoreException {
        String length = r.header("Content-Length");
        long size;
        try {
            size = Long.parseLong(length);
        } catch (RuntimeException e) {
            throw StoreException.client("HeadObject", "the server sent no valid Content-Length", null, false);
        }
        if (size < 0) {
            throw StoreException.client("HeadObject", "the server sent a negative Content-Length", null, false);
        }
        Map<String, String> checksums = new TreeMap<>();
        Map<String, String> metadata = new TreeMap<>();
        for (String name : r.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-checksum-") && !lower.equals("x-amz-checksum-mode")) {
                checksums.put(lower, r.header(name));
            } else if (lower.startsWith("x-amz-meta-") || CARRIED_HEADERS.contains(lower)) {
                metadata.put(lower, r.header(name));
            }
        }
        String sse = r.header("x-amz-server-side-encryption");
        boolean encryptedWithKey = sse != null && sse.toLowerCase(Locale.ROOT).startsWith("aws:kms")
                || r.header("x-amz-server-side-encryption-customer-algorithm") != null;
        String etag = r.header("ETag");
        return new ObjectInfo(ref, size, etag, r.header("Last-Modified"), r.header("x-amz-version-id"),
                r.header("Content-Type"), checksums, Etags.looksLikeMd5(etag) && !encryptedWithKey, metadata);
    }

    /**
     * HEAD answers without a body, so a 4xx says little; a one-byte GET of the same object tells
     * SignatureDoesNotMatch from AccessDenied and NoSuchBucket from NoSuchKey.
     */
    private StoreException explainHeadError(ObjectRef ref, StoreException e, CancelSignal cancel)
            throws InterruptedIOException {
        if (!e.isServerError() || e.httpStatus() >= 500 || e.code() != null && !isGenericCode(e.code())) {
            return e;
        }
        Map<String, String> headers = Map.of("range", "bytes=0-0");
        try (Response ignored = send("HeadObject", "GET", ref.bucket(), ref.key(), versionQuery(ref), headers, null,
                cancel)) {
            return e;
        } catch (StoreException detailed) {
            return detailed.code() != null ? detailed : e;
        }
    }

    private static boolean isGenericCode(String code) {
        return code.equals("NotFound") || code.equals("Forbidden") || code.equals("BadRequest");
    }

    private static StoreException serverError(String op, Response r) {
        byte[] body = EMPTY;
        try {
            body = HttpAnswers.readBounded(r.body(), MAX_ERROR_BYTES, op);
        } catch (StoreException | RuntimeException ignored) {
            // an unreadable error body still leaves the status
        }
        return errorOf(op, r.code(), S3Xml.parseError(body), r);
    }

    /**
     * An error document in a 2xx answer (copies and CompleteMultipartUpload fail this way once S3 has sent
     * the status line), or null. It gets the status S3 gives that code in a plain error answer, so it is
     * retried or not exactly like one; an unknown code counts as 500, as the AWS SDKs count it.
     */
    private static StoreException embeddedError(String op, Response r, byte[] body) {
        S3Xml.Error e = S3Xml.parseEmbeddedError(body);
        return e == null ? null : errorOf(op, EMBEDDED_ERROR_STATUS.getOrDefault(e.code(), 500), e, r);
    }

    private static StoreException errorOf(String op, int status, S3Xml.Error e, Response r) {
        String code = e != null ? e.code() : genericCode(status);
        String requestId = e != null && e.requestId() != null ? e.requestId() : r.header("x-amz-request-id");
        boolean retryable = status >= 500 && status != 501 || status == 429 || status == 408
                || "SlowDown".equals(code) || "RequestTimeout".equals(code) || "InternalError".equals(code);
        return StoreException.server(op, status, code, e != null ? e.message() : null, requestId, retryable);
    }

    private static String genericCode(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 412 -> "PreconditionFailed";
            case 416 -> "InvalidRange";
            default -> null;
        };
    }



}
