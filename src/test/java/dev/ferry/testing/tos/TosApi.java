package dev.ferry.testing.tos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.testing.TosTestServer.Call;

/**
 * The TOS operations the test server answers, over {@link TosState}: ListBuckets, CreateBucket, HeadBucket,
 * ListObjectsType2, Head/Get (ranges, If-Match, versions, {@code x-tos-traffic-limit})/Put/Delete/CopyObject,
 * and multipart uploads (create, UploadPart, UploadPartCopy with source ranges and If-Match, complete, abort,
 * ListParts, ListMultipartUploads). Objects carry {@code x-tos-hash-crc64ecma}.
 */
public final class TosApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final List<String> STORED_HEADERS = List.of("content-type", "content-encoding",
            "content-disposition", "content-language", "cache-control", "expires");
    private static final long MIN_TRAFFIC_LIMIT = 245_760L;
    private static final long MAX_TRAFFIC_LIMIT = 838_860_800L;

    private final TosState state;
    private final Supplier<Clock> clock;
    private volatile long minPartSize = 5L << 20;
    private volatile int maxPageSize = 1000;

    public TosApi(TosState state, Supplier<Clock> clock) {
        this.state = state;
        this.clock = clock;
    }

    public void minPartSize(long bytes) {
        this.minPartSize = bytes;
    }

    public void maxPageSize(int entries) {
        this.maxPageSize = entries;
    }

    /**
     * An answer: status, headers, a body slice (or an error), plus the pace and cut-off the server writes it
     * with ({@code bytesPerSecond} 0 for full speed, {@code dropAfter} -1 for the whole body).
     */
    public record Answer(int status, Map<String, String> headers, byte[] body, int offset, long length,
                         String errorCode, String errorMessage, String ec, long bytesPerSecond, long dropAfter) {

        static Answer of(int status, Map<String, String> headers, byte[] body, int offset, long length) {
            return new Answer(status, headers, body, offset, length, null, null, null, 0, -1);
        }

        static Answer empty(int status, Map<String, String> headers) {
            return of(status, headers, new byte[0], 0, 0);
        }

        static Answer json(JsonNode doc, Map<String, String> headers) {
            byte[] body = doc.toString().getBytes(StandardCharsets.UTF_8);
            headers.put("Content-Type", "application/json");
            return of(200, headers, body, 0, body.length);
        }

        public static Answer error(TosError e) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            return new Answer(e.status(), headers, new byte[0], 0, 0, e.code(), e.getMessage(), e.ec(), 0, -1);
        }

        public Answer droppingAfter(long bytes) {
            return new Answer(status, headers, body, offset, length, errorCode, errorMessage, ec, bytesPerSecond, bytes);
        }

        Answer paced(long newBytesPerSecond) {
            return new Answer(status, headers, body, offset, length, errorCode, errorMessage, ec, newBytesPerSecond,
                    dropAfter);
        }

        /** The JSON error document: {@code {Code, Message, RequestId, HostId, EC}}. */
        public byte[] errorJson(String requestId) {
            ObjectNode e = JSON.createObjectNode().put("Code", errorCode).put("Message", errorMessage)
                    .put("RequestId", requestId).put("HostId", "tos-test-host").put("EC", ec);
            return e.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Answers a verified request; throws {@link TosError} for what TOS would refuse. */
    public Answer answer(Call c) throws IOException {
        if (c.bucket() == null) {
            if (c.method().equals("GET")) {
                return listBuckets();
            }
            throw notAllowed(c);
        }
        if (c.key().isEmpty()) {
            return bucketLevel(c);
        }
        Map<String, String> q = c.query();
        return switch (c.method()) {
            case "HEAD" -> getObject(c, true);
            case "GET" -> q.containsKey("uploadId") ? listParts(c) : getObject(c, false);
            case "PUT" -> {
                if (q.containsKey("partNumber") && q.containsKey("uploadId")) {
                    yield c.header("x-tos-copy-source") != null ? uploadPartCopy(c) : uploadPart(c);
                }
                yield c.header("x-tos-copy-source") != null ? copyObject(c) : putObject(c);
            }
            case "POST" -> {
                if (q.containsKey("uploads")) {
                    yield createUpload(c);
                }
                if (q.containsKey("uploadId")) {
                    yield complete(c);
                }
                throw notAllowed(c);
            }
            case "DELETE" -> {
                if (q.containsKey("uploadId")) {
                    state.abort(q.get("uploadId"), c.bucket(), c.key());
                } else {
                    state.delete(c.bucket(), c.key());
                }
                yield Answer.empty(204, new LinkedHashMap<>());
            }
            default -> throw notAllowed(c);
        };
    }

    private Answer bucketLevel(Call c) {
        switch (c.method()) {
            case "PUT":
                state.createBucket(c.bucket(), now());
                return Answer.empty(200, new LinkedHashMap<>(Map.of("Location", "/" + c.bucket())));
            case "HEAD":
                if (!state.hasBucket(c.bucket())) {
                    throw TosError.noSuchBucket();
                }
                return Answer.empty(200, new LinkedHashMap<>(Map.of("x-tos-bucket-region", "cn-beijing")));
            case "GET":
                if (c.query().containsKey("uploads")) {
                    return listUploads(c);
                }
                if (!"2".equals(c.query().get("list-type"))) {
                    throw TosError.invalidArgument("This server lists objects with list-type=2 only.");
                }
                return listObjects(c);
            default:
                throw notAllowed(c);
        }
    }

    // ---------------------------------------------------------------- buckets and listings

    private Answer listBuckets() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("Owner").put("ID", "tos-test-owner");
        ArrayNode list = root.putArray("Buckets");
        state.buckets().forEach((name, created) -> list.addObject().put("Name", name)
                .put("CreationDate", ISO_MILLIS.format(created)).put("Location", "cn-beijing")
                .put("ExtranetEndpoint", "tos-cn-beijing.volces.com")
                .put("IntranetEndpoint", "tos-cn-beijing.ivolces.com"));
        return Answer.json(root, new LinkedHashMap<>());
    }

    private Answer listObjects(Call c) {
        Map<String, String> q = c.query();
        String prefix = q.getOrDefault("prefix", "");
        String delimiter = q.getOrDefault("delimiter", "");
        int maxKeys = Math.min(1000, intParam(q, "max-keys", 1000));
        if (maxKeys < 1) {
            throw TosError.invalidArgument("max-keys must be at least 1 here.");
        }
        String token = q.get("continuation-token");
        String after = token != null ? decodeToken(token) : q.get("start-after");
        TosState.Listing page = state.list(c.bucket(), prefix, delimiter, after, maxKeys);

        ObjectNode root = JSON.createObjectNode().put("Name", c.bucket()).put("Prefix", prefix)
                .put("MaxKeys", maxKeys).put("Delimiter", delimiter)
                .put("KeyCount", page.objects().size() + page.prefixes().size())
                .put("IsTruncated", page.truncatedAfter() != null);
        if (token != null) {
            root.put("ContinuationToken", token);
        }
        if (page.truncatedAfter() != null) {
            root.put("NextContinuationToken", encodeToken(page.truncatedAfter()));
        }
        ArrayNode contents = root.putArray("Contents");
        for (Map.Entry<String, StoredObject> e : page.objects()) {
            StoredObject o = e.getValue();
            contents.addObject().put("Key", e.getKey()).put("LastModified", ISO_MILLIS.format(o.lastModified()))
                    .put("ETag", o.etag()).put("Size", o.size()).put("StorageClass", "STANDARD")
                    .put("HashCrc64ecma", o.crc64Decimal());
        }
        ArrayNode prefixes = root.putArray("CommonPrefixes");
        page.prefixes().forEach(p -> prefixes.addObject().put("Prefix", p));
        return Answer.json(root, new LinkedHashMap<>());
    }

    private static String encodeToken(String after) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(after.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw TosError.invalidArgument("The continuation token is not valid.");
        }
    }

    private Answer listUploads(Call c) {
        Map<String, String> q = c.query();
        int max = Math.min(maxPageSize, intParam(q, "max-uploads", 1000));
        String keyMarker = q.get("key-marker");
        String idMarker = q.get("upload-id-marker");
        List<TosState.Upload> all = state.uploads(c.bucket(), q.getOrDefault("prefix", ""));
        int from = keyMarker == null ? 0 : firstAfter(all, keyMarker, idMarker);
        List<TosState.Upload> page = all.subList(from, Math.min(all.size(), from + max));
        boolean truncated = from + page.size() < all.size();
        ObjectNode root = JSON.createObjectNode().put("Bucket", c.bucket()).put("Prefix", q.getOrDefault("prefix", ""))
                .put("MaxUploads", max).put("IsTruncated", truncated);
        if (truncated) {
            TosState.Upload last = page.get(page.size() - 1);
            root.put("NextKeyMarker", last.key()).put("NextUploadIdMarker", last.id());
        }
        ArrayNode uploads = root.putArray("Uploads");
        for (TosState.Upload u : page) {
            uploads.addObject().put("Key", u.key()).put("UploadId", u.id())
                    .put("Initiated", ISO_MILLIS.format(u.initiated())).put("StorageClass", "STANDARD");
        }
        return Answer.json(root, new LinkedHashMap<>());
    }

    /** The index of the first upload after the (key, upload id) marker in listing order. */
    private static int firstAfter(List<TosState.Upload> all, String keyMarker, String idMarker) {
        for (int i = 0; i < all.size(); i++) {
            TosState.Upload u = all.get(i);
            if (idMarker != null && u.key().equals(keyMarker) && u.id().equals(idMarker)) {
                return i + 1;
            }
        }
        int i = 0;
        while (i < all.size() && all.get(i).key().compareTo(keyMarker) <= 0) {
            i++;
        }
        return i;
    }

    private Answer listParts(Call c) {
        Map<String, String> q = c.query();
        List<TosState.Part> parts = state.parts(q.get("uploadId"), c.bucket(), c.key());
        int max = Math.min(maxPageSize, intParam(q, "max-parts", 1000));
        int marker = intParam(q, "part-number-marker", 0);
        List<TosState.Part> after = parts.stream().filter(p -> p.number() > marker).toList();
        List<TosState.Part> page = after.subList(0, Math.min(max, after.size()));
        boolean truncated = page.size() < after.size();
        ObjectNode root = JSON.createObjectNode().put("Bucket", c.bucket()).put("Key", c.key())
                .put("UploadId", q.get("uploadId")).put("PartNumberMarker", marker).put("MaxParts", max)
                .put("IsTruncated", truncated).put("StorageClass", "STANDARD");
        if (truncated) {
            root.put("NextPartNumberMarker", page.get(page.size() - 1).number());
        }
        ArrayNode list = root.putArray("Parts");
        for (TosState.Part p : page) {
            list.addObject().put("PartNumber", p.number()).put("LastModified", ISO_MILLIS.format(p.lastModified()))
                    .put("ETag", p.etag()).put("Size", p.size());
        }
        return Answer.json(root, new LinkedHashMap<>());
    }

    // ---------------------------------------------------------------- objects

    private Answer getObject(Call c, boolean head) {
        StoredObject o = state.get(c.bucket(), c.key(), c.query().get("versionId"));
        String ifMatch = c.header("if-match");
        if (ifMatch != null && !ifMatch.strip().equals("*") && !etagMatches(ifMatch, o.etag())) {
            throw TosError.preconditionFailed();
        }
        long pace = trafficLimit(c) / 8;
        Map<String, String> headers = objectHeaders(o);
        headers.put("Accept-Ranges", "bytes");
        String range = c.header("range");
        if (range == null) {
            return Answer.of(200, headers, o.content(), 0, o.size()).paced(pace);
        }
        long[] r = parseRange(range, o.size());
        if (r == null) {
            return Answer.of(200, headers, o.content(), 0, o.size()).paced(pace);
        }
        headers.put("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + o.size());
        if (head) {
            return Answer.of(206, headers, o.content(), (int) r[0], r[1] - r[0] + 1);
        }
        return Answer.of(206, headers, o.content(), (int) r[0], r[1] - r[0] + 1).paced(pace);
    }

    private Answer putObject(Call c) {
        StoredObject o = state.put(c.bucket(), c.key(), c.wire().body(), storedHeaders(c), now());
        return Answer.empty(200, writeHeaders(o));
    }

    private Answer copyObject(Call c) {
        Source src = source(c);
        StoredObject from = state.get(src.bucket(), src.key(), src.versionId());
        checkCopyIfMatch(c, from);
        String directive = c.header("x-tos-metadata-directive");
        Map<String, String> headers = "REPLACE".equalsIgnoreCase(directive) ? storedHeaders(c) : from.headers();
        StoredObject o = state.put(c.bucket(), c.key(), from.content(), headers, now());
        ObjectNode root = JSON.createObjectNode().put("ETag", o.etag()).put("LastModified",
                ISO_MILLIS.format(o.lastModified()));
        Map<String, String> h = writeHeaders(o);
        if (from.versionId() != null) {
            h.put("x-tos-copy-source-version-id", from.versionId());
        }
        return Answer.json(root, h);
    }

    // ---------------------------------------------------------------- multipart uploads

    private Answer createUpload(Call c) {
        String id = state.createUpload(c.bucket(), c.key(), storedHeaders(c), now());
        ObjectNode root = JSON.createObjectNode().put("Bucket", c.bucket()).put("Key", c.key()).put("UploadId", id);
        return Answer.json(root, new LinkedHashMap<>());
    }

    private Answer uploadPart(Call c) {
        TosState.Part p = state.putPart(c.query().get("uploadId"), c.bucket(), c.key(), partNumber(c),
                c.wire().body(), now());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ETag", p.etag());
        h.put("x-tos-hash-crc64ecma", dev.ferry.storage.Crc64.format(p.crc64()));
        return Answer.empty(200, h);
    }

    private Answer uploadPartCopy(Call c) {
        trafficLimit(c);
        Source src = source(c);
        state.upload(c.query().get("uploadId"), c.bucket(), c.key()); // NoSuchUpload before the source's errors
        StoredObject from = state.get(src.bucket(), src.key(), src.versionId());
        checkCopyIfMatch(c, from);
        byte[] content = from.content();
        String range = c.header("x-tos-copy-source-range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.strip());
            if (!m.matches() || m.group(1).isEmpty() || m.group(2).isEmpty()) {
                throw TosError.invalidArgument("x-tos-copy-source-range must be bytes=first-last.");
            }
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (first > last || last >= from.size()) {
                throw new TosError(416, "InvalidRange", "The requested range " + range + " is not satisfiable "
                        + "for a source of " + from.size() + " bytes.");
            }
            content = java.util.Arrays.copyOfRange(content, (int) first, (int) last + 1);
        }
        TosState.Part p = state.putPart(c.query().get("uploadId"), c.bucket(), c.key(), partNumber(c), content, now());
        ObjectNode root = JSON.createObjectNode().put("ETag", p.etag())
                .put("LastModified", ISO_MILLIS.format(p.lastModified()));
        Map<String, String> h = new LinkedHashMap<>();
        if (from.versionId() != null) {
            h.put("x-tos-copy-source-version-id", from.versionId());
        }
        return Answer.json(root, h);
    }

    private Answer complete(Call c) {
        List<Map.Entry<Integer, String>> parts = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(c.wire().body());
            JsonNode list = root == null ? null : root.get("Parts");
            if (list == null || !list.isArray()) {
                throw new IOException("no Parts list");
            }
            for (JsonNode p : list) {
                if (!p.path("PartNumber").canConvertToInt() || !p.path("ETag").isTextual()) {
                    throw new IOException("a part without PartNumber or ETag");
                }
                parts.add(Map.entry(p.get("PartNumber").asInt(), p.get("ETag").asText()));
            }
        } catch (IOException e) {
            throw new TosError(400, "MalformedJSON", "The JSON you provided was not well-formed: " + e.getMessage());
        }
        StoredObject o = state.complete(c.query().get("uploadId"), c.bucket(), c.key(), parts, minPartSize, now());
        ObjectNode root = JSON.createObjectNode().put("Bucket", c.bucket()).put("Key", c.key()).put("ETag", o.etag())
                .put("Location", "/" + c.bucket() + "/" + c.key());
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-tos-hash-crc64ecma", o.crc64Decimal());
        if (o.versionId() != null) {
            h.put("x-tos-version-id", o.versionId());
        }
        return Answer.json(root, h);
    }

    // ---------------------------------------------------------------- pieces

    /** The copy source: {@code /bucket/key} with the key percent-encoded, optionally {@code ?versionId=}. */
    private record Source(String bucket, String key, String versionId) {
    }

    private static Source source(Call c) {
        String value = c.header("x-tos-copy-source");
        String s = value.startsWith("/") ? value.substring(1) : value;
        String versionId = null;
        int question = s.indexOf('?');
        if (question >= 0) {
            String q = s.substring(question + 1);
            s = s.substring(0, question);
            if (!q.startsWith("versionId=")) {
                throw TosError.invalidArgument("x-tos-copy-source takes only ?versionId=.");
            }
            versionId = WireRequest.decode(q.substring("versionId=".length()), true);
        }
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            throw TosError.invalidArgument("x-tos-copy-source must be /bucket/key: " + value);
        }
        return new Source(s.substring(0, slash), WireRequest.decode(s.substring(slash + 1), true), versionId);
    }

    private static void checkCopyIfMatch(Call c, StoredObject source) {
        String ifMatch = c.header("x-tos-copy-source-if-match");
        if (ifMatch != null && !etagMatches(ifMatch, source.etag())) {
            throw TosError.preconditionFailed();
        }
    }

    private static boolean etagMatches(String condition, String etag) {
        for (String candidate : condition.split(",")) {
            if (TosState.bare(candidate).equals(TosState.bare(etag))) {
                return true;
            }
        }
        return false;
    }

    /** {@code x-tos-traffic-limit} in bits per second, checked as TOS checks it; 0 when absent. */
    private static long trafficLimit(Call c) {
        String value = c.header("x-tos-traffic-limit");
        if (value == null) {
            return 0;
        }
        try {
            long bits = Long.parseLong(value.strip());
            if (bits >= MIN_TRAFFIC_LIMIT && bits <= MAX_TRAFFIC_LIMIT) {
                return bits;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw TosError.invalidTrafficLimit(value);
    }

    /** {@code [first, last]} of a single byte range, null to ignore it (serve the whole), or 416. */
    private static long[] parseRange(String header, long size) {
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) { // suffix: the last n bytes
            long n = Long.parseLong(m.group(2));
            first = Math.max(0, size - n);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        if (first >= size || first > last) {
            throw new TosError(416, "InvalidRange", "The requested range is not satisfiable.");
        }
        return new long[] {first, last};
    }

    private static Map<String, String> objectHeaders(StoredObject o) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/octet-stream");
        o.headers().forEach((name, value) -> h.put(name.equals("content-type") ? "Content-Type" : name, value));
        h.put("ETag", o.etag());
        h.put("Last-Modified", HTTP_DATE.format(o.lastModified()));
        h.put("x-tos-hash-crc64ecma", o.crc64Decimal());
        h.put("x-tos-storage-class", "STANDARD");
        if (o.versionId() != null) {
            h.put("x-tos-version-id", o.versionId());
        }
        return h;
    }

    private static Map<String, String> writeHeaders(StoredObject o) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("ETag", o.etag());
        h.put("x-tos-hash-crc64ecma", o.crc64Decimal());
        if (o.versionId() != null) {
            h.put("x-tos-version-id", o.versionId());
        }
        return h;
    }

    /** The content headers and {@code x-tos-meta-*} of a write, by lower-case name. */
    private static Map<String, String> storedHeaders(Call c) {
        Map<String, String> h = new TreeMap<>();
        c.wire().headers().forEach((name, values) -> {
            if (name.startsWith("x-tos-meta-") || STORED_HEADERS.contains(name)) {
                h.put(name, String.join(",", values));
            }
        });
        return h;
    }

    private static int partNumber(Call c) {
        return intParam(c.query(), "partNumber", 0);
    }

    private static int intParam(Map<String, String> q, String name, int absent) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw TosError.invalidArgument(name + " must be a number.");
        }
    }

    private static TosError notAllowed(Call c) {
        return new TosError(405, "MethodNotAllowed", "The specified method " + c.method().toLowerCase(Locale.ROOT)
                + " is not allowed against this resource.");
    }

    private Instant now() {
        return clock.get().instant();
    }
}
