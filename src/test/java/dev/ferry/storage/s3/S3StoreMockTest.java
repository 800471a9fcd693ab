package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import okio.Buffer;

class S3StoreMockTest {
    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzz";
    private static final ObjectRef REF = ObjectRef.of("bkt", "a/b.bin");

    private final MockWebServer server = new MockWebServer();
    private final CancelSignal never = new CancelSignal();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private S3Store store(int attempts) {
        return new S3Store(config(server.url("/").uri(), true), HttpClients.create(4), RetryPolicy.fast(attempts));
    }

    private static S3Config config(URI endpoint, boolean pathStyle) {
        return new S3Config(endpoint, "us-east-1", new Credentials("AKIDTEST", SECRET, null), pathStyle);
    }

    private static MockResponse errorXml(int status, String code, String message, String requestId) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
                .body("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                        + "</Message><Resource>/bkt/a/b.bin</Resource><RequestId>" + requestId
                        + "</RequestId><HostId>host-id</HostId></Error>")
                .build();
    }

    private static MockResponse partial(String body, long start) {
        long end = start + body.length() - 1;
        return new MockResponse.Builder().code(206).setHeader("ETag", "\"e1\"")
                .setHeader("Content-Range", "bytes " + start + "-" + end + "/100").body(body).build();
    }

    private String readAll(RangeBody body) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) body.length());
        while (buf.hasRemaining() && body.channel().read(buf) >= 0) {
            // fill
        }
        return new String(buf.array(), 0, buf.position(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void keysWithDotSegmentsAreRefusedWithoutAnyRequest() {
        for (String key : new String[]{"a/../b", "..", "./x", "a/./b", "x/.."}) {
            StoreException e = catchThrowableOfType(StoreException.class,
                    () -> store(3).head(ObjectRef.of("bkt", key), never));
            assertThat(e).as(key).isNotNull();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.getMessage()).contains(key);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void errorXmlBecomesStoreExceptionWithStatusCodeMessageAndRequestId() throws Exception {
        server.enqueue(errorXml(409, "InvalidObjectState", "The operation is not valid for the object's storage class",
                "4442587FB7D0A2F9"));
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).getRange(REF, 0, 9, null, never));

        assertThat(e.httpStatus()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("InvalidObjectState");
        assertThat(e.serverMessage()).isEqualTo("The operation is not valid for the object's storage class");
        assertThat(e.requestId()).isEqualTo("4442587FB7D0A2F9");
        assertThat(e.isServerError()).isTrue();
        assertThat(e.getMessage()).contains("GetObject", "InvalidObjectState", "409", "4442587FB7D0A2F9");
    }

    @Test
    void headForbiddenIsExplainedByADiagnosticGet() throws Exception {
        server.enqueue(new MockResponse.Builder().code(403).build());
        server.enqueue(errorXml(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.", "RID1"));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).head(REF, never));

        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(server.getRequestCount()).isEqualTo(2);
        RecordedRequest head = server.takeRequest();
        RecordedRequest get = server.takeRequest();
        assertThat(head.getMethod()).isEqualTo("HEAD");
        assertThat(get.getMethod()).isEqualTo("GET");
        assertThat(get.getHeaders().get("Range")).isEqualTo("bytes=0-0");
        assertThat(get.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
    }

    @Test
    void headNotFoundIsExplainedAsNoSuchKey() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(errorXml(404, "NoSuchKey", "The specified key does not exist.", "RID2"));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).head(REF, never));

        assertThat(e.code()).isEqualTo("NoSuchKey");
        assertThat(e.isNotFound()).isTrue();
        assertThat(e.getMessage()).contains("NoSuchKey");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 412})
    void clientErrorsAreNotRetried(int status) throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(errorXml(status, "Code" + status, "no", "R"));
        }
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(5).getRange(REF, 0, 9, null, never));

        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429, 408})
    void transientStatusesAreRetriedUntilSuccess(int status) throws Exception {
        server.enqueue(errorXml(status, "Transient", "try again", "R1"));
        server.enqueue(errorXml(status, "Transient", "try again", "R2"));
        server.enqueue(partial("0123456789", 0));

        try (RangeBody body = store(3).getRange(REF, 0, 9, null, never)) {
            assertThat(readAll(body)).isEqualTo("0123456789");
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void transientStatusGivesUpAfterMaxAttempts() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(errorXml(500, "InternalError", "boom", "R" + i));
        }
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).getRange(REF, 0, 9, null, never));

        assertThat(e.code()).isEqualTo("InternalError");
        assertThat(e.isRetryable()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void droppedConnectionIsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(partial("abcdefghij", 10));

        try (RangeBody body = store(3).getRange(REF, 10, 19, null, never)) {
            assertThat(body.start()).isEqualTo(10);
            assertThat(readAll(body)).isEqualTo("abcdefghij");
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void everyAttemptIsSignedAfreshAndRetryAfterIsHonoured() throws Exception {
        server.enqueue(new MockResponse.Builder(errorXml(503, "SlowDown", "Please reduce your request rate.", "R1"))
                .setHeader("Retry-After", "1").build());
        server.enqueue(partial("0123456789", 0));

        long t0 = System.nanoTime();
        try (RangeBody body = store(3).getRange(REF, 0, 9, "\"e1\"", never)) {
            assertThat(readAll(body)).isEqualTo("0123456789");
        }
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(950);
        for (RecordedRequest r : List.of(first, second)) {
            assertThat(r.getHeaders().get("x-amz-date")).matches("\\d{8}T\\d{6}Z");
            assertThat(r.getHeaders().get("Authorization")).contains("Signature=");
            assertThat(r.getHeaders().get("If-Match")).isEqualTo("\"e1\"");
        }
        // a second later the time is different, so a replayed signature would have been stale
        assertThat(second.getHeaders().get("x-amz-date")).isNotEqualTo(first.getHeaders().get("x-amz-date"));
        assertThat(second.getHeaders().get("Authorization")).isNotEqualTo(first.getHeaders().get("Authorization"));
    }

    @Test
    void retryAfterAcceptsSecondsAndHttpDates() {
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis("3")).isEqualTo(3000);
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis(" 0 ")).isZero();
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis(null)).isEqualTo(-1);
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis("soon")).isEqualTo(-1);
        String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis(inFiveSeconds)).isBetween(3000L, 5000L);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis(past)).isZero();
        // absurd values saturate instead of overflowing into "no Retry-After"
        assertThat(dev.ferry.storage.http.HttpAnswers.retryAfterMillis("9300000000000000")).isGreaterThan(1_000_000L);
    }

    @Test
    void retryAfterAsHttpDateDelaysTheRetry() throws Exception {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        server.enqueue(new MockResponse.Builder(errorXml(503, "SlowDown", "slow", "R1"))
                .setHeader("Retry-After", inTwoSeconds).build());
        server.enqueue(partial("0123456789", 0));

        long t0 = System.nanoTime();
        try (RangeBody body = store(3).getRange(REF, 0, 9, null, never)) {
            assertThat(readAll(body)).isEqualTo("0123456789");
        }
        // the date has one-second resolution: at least ~1 s must have passed
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
    }

    // ------------------------------------------------------------------ range answers

    @Test
    void aRangeAnswerForOtherBytesIsRefused() throws Exception {
        server.enqueue(partial("0123456789", 0)); // asked for 10-19
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(1).getRange(REF, 10, 19, null, never));

        assertThat(e.getMessage()).contains("Content-Range");
        assertThat(e.isRetryable()).isTrue();
    }

    @Test
    void aFullBodyToARangeNotAtZeroIsRefused() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(100)).build());
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(1).getRange(REF, 10, 19, null, never));

        assertThat(e.getMessage()).contains("HTTP 200");
    }

    @Test
    void aContentRangeWithUnknownTotalIsAccepted() throws Exception {
        server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 0-9/*")
                .body("0123456789").build());
        try (RangeBody body = store(1).getRange(REF, 0, 9, null, never)) {
            assertThat(readAll(body)).isEqualTo("0123456789");
        }
    }

    // ------------------------------------------------------------------ listing

    @Test
    void listingKeysAreUrlDecoded() throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                  <Name>bkt</Name><Prefix>d%C3%A9j%C3%A0%2F</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys>
                  <Delimiter>%2F</Delimiter><EncodingType>url</EncodingType>
                  <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
                  <Contents><Key>d%C3%A9j%C3%A0%2Fa+b%2Bc.txt</Key><LastModified>2025-07-01T10:00:00.000Z</LastModified>
                    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>42</Size></Contents>
                  <Contents><Key>d%C3%A9j%C3%A0%2F%25percent%26amp</Key><LastModified>2025-07-01T10:00:01.000Z</LastModified>
                    <ETag>&quot;abc-2&quot;</ETag><Size>7</Size></Contents>
                  <CommonPrefixes><Prefix>d%C3%A9j%C3%A0%2Fsub%20dir%2F</Prefix></CommonPrefixes>
                </ListBucketResult>
                """;
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml").body(xml)
                .build());

        ListPage page = store(1).list("bkt", "déjà/", "/", null, 2, never);

        assertThat(page.objects()).extracting(ObjectSummary::key)
                .containsExactly("déjà/a b+c.txt", "déjà/%percent&amp");
        assertThat(page.objects().get(0).size()).isEqualTo(42);
        assertThat(page.objects().get(0).etag()).isEqualTo("\"9b2cf535f27731c974343645a3985328\"");
        assertThat(page.prefixes()).containsExactly("déjà/sub dir/");
        assertThat(page.nextToken()).isEqualTo("1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().queryParameter("encoding-type")).isEqualTo("url");
        assertThat(r.getUrl().queryParameter("list-type")).isEqualTo("2");
        assertThat(r.getUrl().queryParameter("prefix")).isEqualTo("déjà/");
        assertThat(r.getUrl().queryParameter("delimiter")).isEqualTo("/");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/bkt/");
    }

    @Test
    void hugeListingIsRefused() throws Exception {
        Buffer body = new Buffer().writeUtf8("<ListBucketResult><Name>bkt</Name>");
        byte[] filler = new byte[1 << 20];
        java.util.Arrays.fill(filler, (byte) ' ');
        for (int i = 0; i < 17; i++) {
            body.write(filler);
        }
        body.writeUtf8("</ListBucketResult>");
        server.enqueue(new MockResponse.Builder().code(200).body(body).build());

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).list("bkt", null, null, null, 1000, never));

        assertThat(e.getMessage()).contains("larger than 16 MiB");
        assertThat(e.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ addressing

    @Test
    void virtualHostedAndPathStyleAddressing() throws Exception {
        int port = server.getPort();
        OkHttpClient toLoopback = HttpClients.create(2).newBuilder()
                .dns(host -> List.of(InetAddress.getLoopbackAddress())).build();
        URI endpoint = URI.create("http://s3.example.test:" + port);
        server.enqueue(partial("0123456789", 0));
        server.enqueue(partial("0123456789", 0));

        S3Store virtual = new S3Store(config(endpoint, false), toLoopback, RetryPolicy.fast(1));
        virtual.getRange(ObjectRef.of("my-bucket", "k/ü v.bin"), 0, 9, null, never).close();
        S3Store path = new S3Store(config(endpoint, true), toLoopback, RetryPolicy.fast(1));
        path.getRange(ObjectRef.of("my-bucket", "k/ü v.bin"), 0, 9, null, never).close();

        RecordedRequest v = server.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest p = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(v.getHeaders().get("Host")).isEqualTo("my-bucket.s3.example.test:" + port);
        assertThat(v.getUrl().encodedPath()).isEqualTo("/k/%C3%BC%20v.bin");
        assertThat(p.getHeaders().get("Host")).isEqualTo("s3.example.test:" + port);
        assertThat(p.getUrl().encodedPath()).isEqualTo("/my-bucket/k/%C3%BC%20v.bin");
        assertThat(v.getHeaders().get("Authorization")).contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date");
    }

    @Test
    void ipEndpointsAndUnsafeBucketNamesFallBackToPathStyle() {
        assertThat(config(URI.create("http://127.0.0.1:9000"), false).usesPathStyle("bkt")).isTrue();
        assertThat(config(URI.create("https://s3.example.test"), false).usesPathStyle("bkt")).isFalse();
        assertThat(config(URI.create("https://s3.example.test"), false).usesPathStyle("my.dotted.bkt")).isTrue();
        assertThat(config(URI.create("https://s3.example.test"), false).usesPathStyle("Upper_Case")).isTrue();
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void errorMessagesNeverContainTheSecretKey() throws Exception {
        List<String> messages = new ArrayList<>();
        server.enqueue(new MockResponse.Builder().code(403).build());
        server.enqueue(errorXml(403, "SignatureDoesNotMatch", "The request signature we calculated does not match",
                "R1"));
        server.enqueue(errorXml(500, "InternalError", "boom", "R2"));
        server.enqueue(new MockResponse.Builder().code(400).body("not xml at all").build());
        S3Store store = store(1);
        messages.add(messageOf(() -> store.head(REF, never)));
        messages.add(messageOf(() -> store.getRange(REF, 0, 9, null, never)));
        messages.add(messageOf(() -> store.list("bkt", "p", null, null, 10, never)));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        S3Store unreachable = new S3Store(config(URI.create("http://127.0.0.1:" + closedPort), true),
                HttpClients.create(1), RetryPolicy.fast(1));
        messages.add(messageOf(() -> unreachable.head(REF, never)));
        messages.add(store.config().toString());

        assertThat(messages).hasSize(5).allSatisfy(m -> {
            assertThat(m).isNotBlank();
            assertThat(m).doesNotContain(SECRET);
        });
        for (int i = 0; i < server.getRequestCount(); i++) {
            RecordedRequest r = server.takeRequest();
            assertThat(r.getHeaders().toString()).doesNotContain(SECRET);
            assertThat(r.getUrl().toString()).doesNotContain(SECRET);
        }
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static String messageOf(Failing f) {
        try {
            f.run();
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t).append('\n');
            }
            return all.toString();
        }
        throw new AssertionError("expected a failure");
    }
}
