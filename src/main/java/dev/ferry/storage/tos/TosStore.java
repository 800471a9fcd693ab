package dev.ferry.storage.tos;

import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.BucketsPage;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.MultipartPages;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.ServerThrottling;
import dev.ferry.storage.Signing;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.Exchange;
import dev.ferry.storage.http.HttpAnswers;
import dev.ferry.storage.http.RetryPolicy;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Volcengine TOS over OkHttp, in its native protocol: TOS4-HMAC-SHA256 header auth, {@code x-tos-*}
 * headers, JSON answers, CRC-64 checksums ({@link Crc64#HEADER} among {@link ObjectInfo#checksums()} and
 * in {@link #completeMultipartUploadWithChecksums}). Retries, cancellation and errors behave as in
 * {@link dev.ferry.storage.ObjectStore}. Thread-safe.
 *
 * <p><b>Per-connection traffic limit.</b> TOS can throttle one request server-side with
 * {@code x-tos-traffic-limit} (bits per second, {@value TrafficLimit#MIN_BITS_PER_SECOND} to
 * {@value TrafficLimit#MAX_BITS_PER_SECOND}). A store sends it on ranged GETs and UploadPartCopy when made
 * with {@link #withTrafficLimit(long)}: a light view that shares this store's connections, so an engine gives
 * each transfer its own view (see {@link TrafficLimit#perConnection}) without touching the others.
 */
public final class TosStore implements CopyStore, ServerThrottling {
    /** What {@link #endpointId()} starts with. */
    public static final String ENDPOINT_ID_PREFIX = "tos+";
    /** Standard headers a copy carries over, besides x-tos-meta-*. */
    static final Set<String> CARRIED_HEADERS = Set.of("content-type", "content-encoding", "content-disposition",
            "content-language", "cache-control", "expires");
    static final String META_PREFIX = "x-tos-meta-";
    static final String TRAFFIC_LIMIT = "x-tos-traffic-limit";
    private static final MediaType JSON = MediaType.get("application/json");

    private final TosTransport transport;
    private final long trafficLimit;

    public TosStore(TosConfig config, OkHttpClient http, RetryPolicy retry) {
        this(config, http, retry, Clock.systemUTC());
    }

    /** @param clock what requests are dated by (tests set it; the server refuses dates 15 minutes off) */
    public TosStore(TosConfig config, OkHttpClient http, RetryPolicy retry, Clock clock) {
        this(new TosTransport(Objects.requireNonNull(config, "config"), Objects.requireNonNull(http, "http"),
                Objects.requireNonNull(retry, "retry"), Objects.requireNonNull(clock, "clock")), 0);
    }

    private TosStore(TosTransport transport, long trafficLimit) {
        this.transport = transport;
        this.trafficLimit = trafficLimit;
    }

    /**
     * This store with a server-side limit on each GET and UploadPartCopy it sends; connections, signer and
     * retries are shared.
     *
     * @param bitsPerSecond per request, as TOS defines {@code x-tos-traffic-limit}; 0 for none
     * @throws IllegalArgumentException outside 0 and TOS' accepted range
     */
    @Override
    public TosStore throttledTo(long bytesPerSecond, int connections) {
        return withTrafficLimit(TrafficLimit.perConnection(bytesPerSecond, connections));
    }

    public TosStore withTrafficLimit(long bitsPerSecond) {
        TrafficLimit.check(bitsPerSecond);
        return bitsPerSecond == trafficLimit ? this : new TosStore(transport, bitsPerSecond);
    }

    /** The per-request traffic limit in bits per second, 0 for none. */
    public long trafficLimit() {
        return trafficLimit;
    }

    public TosConfig config() {
        return transport.config();
    }

    /**
     * {@value #ENDPOINT_ID_PREFIX} and the endpoint URL: an S3 store on the same host and port has another id, so
     * their checkpoints (named after it) never meet.
     */
    @Override
    public String endpointId() {
        return endpointId(transport.config().endpoint());
    }

    /** What a TOS store at this endpoint answers to {@link #endpointId()}, known without credentials. */
    public static String endpointId(URI endpoint) {
        String s = endpoint.toString();
        return ENDPOINT_ID_PREFIX + (s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public ObjectInfo head(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
        try (Response r = transport.send("HeadObject", "HEAD", ref.bucket(), ref.key(), versionQuery(ref), Map.of(),
                null, false, cancel).response()) {
            return toInfo(ref, r);
        } catch (StoreException e) {
            throw explainHeadError(ref, e, cancel);
        }
    }

    @Override
    public void connectAhead(ObjectRef ref, int connections) {
        transport.connectAhead(ref.bucket(), connections);
    }

    @Override
    public RangeBody getRange(ObjectRef ref, long start, long endInclusive, String ifMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        if (start < 0 || endInclusive < start) {
            throw new IllegalArgumentException("not a byte range: " + start + "-" + endInclusive);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Range", "bytes=" + start + "-" + endInclusive);
        if (ifMatch != null) {
            headers.put("If-Match", Etags.quoted(ifMatch));
        }
        addTrafficLimit(headers);
        return HttpAnswers.rangeBody(transport.send("GetObject", "GET", ref.bucket(), ref.key(), versionQuery(ref),
                headers, null, false, cancel), start, endInclusive, cancel);
    }

    /** ListBuckets: GET on the endpoint itself; a server that pages is followed through its token. */
    @Override
    public List<BucketSummary> listBuckets(CancelSignal cancel) throws StoreException, InterruptedIOException {
        return BucketsPage.all(token -> {
            Map<String, String> query = token == null ? Map.of() : Map.of("continuation-token", token);
            byte[] doc = document("ListBuckets", "GET", null, "", query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListBuckets", () -> TosJson.parseBuckets(doc));
        });
    }

    /** ListObjectsType2: {@code GET /?list-type=2}, one page. */
    @Override
    public ListPage list(String bucket, String prefix, String delimiter, String continuationToken, int maxKeys,
                         CancelSignal cancel) throws StoreException, InterruptedIOException {
        Map<String, String> q = ListPage.query(prefix, delimiter, continuationToken, maxKeys);
        byte[] doc = document("ListObjectsType2", "GET", bucket, "", q, Map.of(), null, cancel);
        return HttpAnswers.parsed("ListObjectsType2", () -> TosJson.parseList(doc))
                .advancing("ListObjectsType2", continuationToken);
    }

    /**
     * A presigned GET of the object (query auth), valid for {@code expires} from now: a link that works
     * without credentials, for a browser or a plain HTTP download.
     */
    public URI presignGet(ObjectRef ref, Duration expires) {
        try {
            HttpAnswers.refuseDotSegments("PresignGet", ref.key());
        } catch (StoreException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        TosTransport.Target target = transport.target(ref.bucket(), ref.key());
        String hostHeader = TosTransport.hostHeader(target.url().build());
        Map<String, String> query = transport.signer().presignQuery("GET", hostHeader, target.path(),
                versionQuery(ref), Map.of(), expires);
        return target.url().encodedQuery(TosSigner.presignedQueryString(query)).build().uri();
    }

    // ---------------------------------------------------------------- writing (tests and tools)

    /** Creates a bucket (used by tests and tools; the engine never creates buckets). */
    public void createBucket(String bucket, CancelSignal cancel) throws StoreException, InterruptedIOException {
        transport.send("CreateBucket", "PUT", bucket, "", Map.of(), Map.of(), null, true, cancel);
    }

    /**
     * Uploads an object in one request; {@code headers} may carry content headers and {@code x-tos-meta-*}.
     * Returns the new object's ETag.
     */
    public String putObject(ObjectRef ref, byte[] content, Map<String, String> headers, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> h = new TreeMap<>(headers);
        String type = h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        RequestBody body = RequestBody.create(content, type == null ? null : MediaType.get(type));
        try (Response r = transport.send("PutObject", "PUT", ref.bucket(), ref.key(), Map.of(), h, body, false,
                cancel).response()) {
            return r.header("ETag");
        }
    }

    public void deleteObject(ObjectRef ref, CancelSignal cancel) throws StoreException, InterruptedIOException {
        transport.send("DeleteObject", "DELETE", ref.bucket(), ref.key(), versionQuery(ref), Map.of(), null, true,
                cancel);
    }

    // ---------------------------------------------------------------- server-side copy

    @Override
    public String createMultipartUpload(ObjectRef dest, Map<String, String> metadata, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        byte[] doc = document("CreateMultipartUpload", "POST", dest.bucket(), dest.key(), Map.of("uploads", ""),
                carried(metadata), null, cancel);
        return HttpAnswers.parsed("CreateMultipartUpload", () -> TosJson.parseUploadId(doc));
    }

    @Override
    public String uploadPartCopy(ObjectRef dest, String uploadId, int partNumber, ObjectRef source, long start,
                                 long endInclusive, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> query = Map.of("partNumber", Integer.toString(partNumber), "uploadId", uploadId);
        Map<String, String> headers = copySource("UploadPartCopy", source, sourceIfMatch);
        headers.put("x-tos-copy-source-range", "bytes=" + start + "-" + endInclusive);
        addTrafficLimit(headers);
        byte[] doc = document("UploadPartCopy", "PUT", dest.bucket(), dest.key(), query, headers, null, cancel);
        return HttpAnswers.parsed("UploadPartCopy", () -> TosJson.parseEtag(doc));
    }

    @Override
    public String completeMultipartUpload(ObjectRef dest, String uploadId, List<UploadedPart> parts,
                                          CancelSignal cancel) throws StoreException, InterruptedIOException {
        return completeMultipartUploadWithChecksums(dest, uploadId, parts, cancel).etag();
    }

    /**
     * Completes the upload from the given parts, sent in part-number order whatever order they come in.
     * The answer's {@code x-tos-hash-crc64ecma} (the new object's CRC-64) comes back among the checksums.
     */
    @Override
    public CompletedUpload completeMultipartUploadWithChecksums(ObjectRef dest, String uploadId,
                                                                List<UploadedPart> parts, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        List<UploadedPart> ordered = parts.stream().sorted(Comparator.comparingInt(UploadedPart::number)).toList();
        byte[] json = TosJson.completeBody(ordered);
        // the body is signed too: its hash goes in a signed x-tos header
        Map<String, String> headers = Map.of("Content-Type", JSON.toString(),
                TosSigner.CONTENT_SHA256_HEADER, Signing.sha256Hex(json));
        Exchange.Sent sent = transport.send("CompleteMultipartUpload", "POST", dest.bucket(), dest.key(),
                Map.of("uploadId", uploadId), headers, RequestBody.create(json, JSON), true, cancel);
        String etag = HttpAnswers.parsed("CompleteMultipartUpload", () -> TosJson.parseEtag(sent.document()));
        String crc = sent.response().header(Crc64.HEADER);
        if (crc == null) {
            crc = TosJson.parseCrc64(sent.document());
        }
        return new CompletedUpload(etag, crc == null ? Map.of() : Map.of(Crc64.HEADER, crc));
    }

    /**
     * Aborts the upload. An upload the server no longer knows (NoSuchUpload) counts as aborted: no upload
     * and no parts remain either way, and a retried abort whose first attempt got through must not fail.
     */
    @Override
    public void abortMultipartUpload(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        try {
            transport.send("AbortMultipartUpload", "DELETE", dest.bucket(), dest.key(), Map.of("uploadId", uploadId),
                    Map.of(), null, true, cancel);
        } catch (StoreException e) {
            if (!"NoSuchUpload".equals(e.code())) {
                throw e;
            }
        }
    }

    @Override
    public List<UploadedPart> listParts(ObjectRef dest, String uploadId, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return MultipartPages.allParts(marker -> {
            Map<String, String> query = new TreeMap<>(Map.of("uploadId", uploadId, "max-parts", "1000"));
            if (marker != null) {
                query.put("part-number-marker", marker.toString());
            }
            byte[] doc = document("ListParts", "GET", dest.bucket(), dest.key(), query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListParts", () -> TosJson.parseParts(doc));
        });
    }

    @Override
    public List<MultipartUpload> listMultipartUploads(String bucket, String prefix, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return MultipartPages.allUploads(previous -> {
            Map<String, String> query = new TreeMap<>(Map.of("uploads", ""));
            if (prefix != null && !prefix.isEmpty()) {
                query.put("prefix", prefix);
            }
            if (previous != null) {
                query.put("key-marker", previous.nextKeyMarker());
                if (previous.nextUploadIdMarker() != null) {
                    query.put("upload-id-marker", previous.nextUploadIdMarker());
                }
            }
            byte[] doc = document("ListMultipartUploads", "GET", bucket, "", query, Map.of(), null, cancel);
            return HttpAnswers.parsed("ListMultipartUploads", () -> TosJson.parseUploads(doc));
        });
    }

    /** CopyObject with the source's metadata ({@code x-tos-metadata-directive: COPY}). */
    @Override
    public String copyObject(ObjectRef source, ObjectRef dest, String sourceIfMatch, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        Map<String, String> headers = copySource("CopyObject", source, sourceIfMatch);
        headers.put("x-tos-metadata-directive", "COPY");
        byte[] doc = document("CopyObject", "PUT", dest.bucket(), dest.key(), Map.of(), headers, null, cancel);
        return HttpAnswers.parsed("CopyObject", () -> TosJson.parseEtag(doc));
    }

    @Override
    public void close() {
        // the OkHttp client is shared and owned by whoever built it
    }

    // ---------------------------------------------------------------- request parts

    private byte[] document(String op, String method, String bucket, String key, Map<String, String> query,
                            Map<String, String> headers, RequestBody body, CancelSignal cancel)
            throws StoreException, InterruptedIOException {
        return transport.send(op, method, bucket, key, query, headers, body, true, cancel).document();
    }

    private void addTrafficLimit(Map<String, String> headers) {
        if (trafficLimit > 0) {
            headers.put(TRAFFIC_LIMIT, Long.toString(trafficLimit));
        }
    }

    private static Map<String, String> versionQuery(ObjectRef ref) {
        return ref.versionId() == null ? Map.of() : Map.of("versionId", ref.versionId());
    }

    /**
     * The metadata headers as sent; {@code x-amz-meta-*} names become {@code x-tos-meta-*}. Anything else
     * would change more than the copy's metadata, so it is refused.
     */
    static Map<String, String> carried(Map<String, String> metadata) {
        Map<String, String> headers = new TreeMap<>();
        metadata.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-amz-meta-")) {
                lower = META_PREFIX + lower.substring("x-amz-meta-".length());
            }
            if (!lower.startsWith(META_PREFIX) && !CARRIED_HEADERS.contains(lower)) {
                throw new IllegalArgumentException("not a metadata header a copy carries: " + name);
            }
            headers.put(lower, value);
        });
        return headers;
    }

    /**
     * {@code x-tos-copy-source: /bucket/key} with the key percent-encoded (slashes too) and the version, if
     * any, as {@code ?versionId=}; the If-Match guard makes the server refuse a source that changed.
     */
    private static Map<String, String> copySource(String op, ObjectRef source, String ifMatch) throws StoreException {
        HttpAnswers.refuseDotSegments(op, source.key());
        String value = "/" + source.bucket() + "/" + Signing.uriEncode(source.key(), true);
        if (source.versionId() != null) {
            value += "?versionId=" + Signing.uriEncode(source.versionId(), true);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-tos-copy-source", value);
        if (ifMatch != null) {
            headers.put("x-tos-copy-source-if-match", Etags.quoted(ifMatch));
        }
        return headers;
    }

    // ---------------------------------------------------------------- answers

    static ObjectInfo toInfo(ObjectRef ref, Response r) throws StoreException {
        long size;
        try {
            size = Long.parseLong(r.header("Content-Length"));
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
            if (lower.equals(Crc64.HEADER)) {
                checksums.put(lower, r.header(name));
            } else if (lower.startsWith(META_PREFIX) || CARRIED_HEADERS.contains(lower)) {
                metadata.put(lower, r.header(name));
            }
        }
        String sse = r.header("x-tos-server-side-encryption");
        boolean encryptedWithKey = sse != null && sse.toLowerCase(Locale.ROOT).startsWith("kms")
                || r.header("x-tos-server-side-encryption-customer-algorithm") != null;
        String etag = r.header("ETag");
        return new ObjectInfo(ref, size, etag, r.header("Last-Modified"), r.header("x-tos-version-id"),
                r.header("Content-Type"), checksums, Etags.looksLikeMd5(etag) && !encryptedWithKey, metadata);
    }

    /**
     * HEAD answers without a body, so a 4xx says little beyond its EC header; a one-byte GET of the same
     * object tells SignatureDoesNotMatch from AccessDenied and NoSuchBucket from NoSuchKey.
     */
    private StoreException explainHeadError(ObjectRef ref, StoreException e, CancelSignal cancel)
            throws InterruptedIOException {
        if (!e.isServerError() || e.httpStatus() >= 500 || e.code() != null && !TosTransport.isGenericCode(e.code())) {
            return e;
        }
        try (Response ignored = transport.send("HeadObject", "GET", ref.bucket(), ref.key(), versionQuery(ref),
                Map.of("Range", "bytes=0-0"), null, false, cancel).response()) {
            return e;
        } catch (StoreException detailed) {
            return detailed.code() != null ? detailed : e;
        }
    }

}
