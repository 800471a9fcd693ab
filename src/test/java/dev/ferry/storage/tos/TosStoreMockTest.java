package dev.ferry.storage.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.CompletedUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.Signing;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/** TosStore against scripted answers: the shapes of TOS errors and results a well-behaved server may not send. */
class TosStoreMockTest {
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

    private TosStore store(int attempts, Clock clock) {
        TosConfig config = new TosConfig(server.url("/").uri(), "cn-beijing", new Credentials("AKLT", "sk", null),
                true);
        return new TosStore(config, HttpClients.create(4), RetryPolicy.fast(attempts), clock);
    }

    private TosStore store(int attempts) {
        return store(attempts, Clock.systemUTC());
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
    }

    /** A clock one second further on at every reading. */
    private static Clock ticking(Instant start) {
        AtomicLong reads = new AtomicLong();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return start.plusSeconds(reads.getAndIncrement());
            }
        };
    }

    @Test
    void everyAttemptIsSignedAfreshWithItsOwnDate() throws Exception {
        server.enqueue(json(503, "{\"Code\":\"ServiceUnavailable\",\"Message\":\"busy\",\"EC\":\"0019-00000002\"}"));
        server.enqueue(json(500, "{\"Code\":\"InternalError\",\"Message\":\"oops\"}"));
        server.enqueue(json(200, "{\"Buckets\":[]}"));

        store(3, ticking(Instant.parse("2025-07-01T10:00:00Z"))).listBuckets(never);

        List<String> dates = List.of(server.takeRequest().getHeaders().get("X-Tos-Date"),
                server.takeRequest().getHeaders().get("X-Tos-Date"), server.takeRequest().getHeaders().get("X-Tos-Date"));
        assertThat(dates).containsExactly("20250701T100000Z", "20250701T100001Z", "20250701T100002Z");
    }

    @Test
    void errorsWrappedInAnErrorObjectAreReadToo() {
        server.enqueue(json(409, "{\"Error\":{\"Code\":\"InvalidObjectState\",\"Message\":\"archived\","
                + "\"RequestId\":\"rid-1\",\"HostId\":\"h\",\"EC\":\"0017-00000999\"}}"));
        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).getRange(REF, 0, 9, null, never));
        assertThat(e.code()).isEqualTo("InvalidObjectState");
        assertThat(e.requestId()).isEqualTo("rid-1");
        assertThat(e.getMessage()).isEqualTo("GetObject failed: InvalidObjectState: archived [EC 0017-00000999] "
                + "(HTTP 409, request id rid-1)");
    }

    @Test
    void aBodilessErrorFallsBackOnTheHeaders() {
        server.enqueue(new MockResponse.Builder().code(403).setHeader("x-tos-request-id", "rid-h")
                .setHeader("x-tos-ec", "0003-00000001").build());
        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).listBuckets(never));
        assertThat(e.code()).isEqualTo("Forbidden");
        assertThat(e.requestId()).isEqualTo("rid-h");
        assertThat(e.getMessage()).contains("[EC 0003-00000001]", "rid-h");
    }

    @Test
    void aHeadErrorIsExplainedByAOneByteGet() throws Exception {
        server.enqueue(new MockResponse.Builder().code(403).setHeader("x-tos-ec", "0003-00000003").build());
        server.enqueue(json(403, "{\"Code\":\"SignatureDoesNotMatch\",\"Message\":\"bad\",\"RequestId\":\"r2\","
                + "\"EC\":\"0003-00000003\"}"));
        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).head(REF, never));
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        server.takeRequest();
        RecordedRequest get = server.takeRequest();
        assertThat(get.getMethod()).isEqualTo("GET");
        assertThat(get.getHeaders().get("Range")).isEqualTo("bytes=0-0");
    }

    @Test
    void anErrorDocumentInA200IsTheErrorItNames() {
        server.enqueue(json(200, "{\"Code\":\"InternalError\",\"Message\":\"copy failed\",\"EC\":\"0019-1\"}"));
        server.enqueue(json(200, "{\"ETag\":\"\\\"e2\\\"\",\"LastModified\":\"2025-07-01T10:00:00.000Z\"}"));
        String etag = assertDoesNotThrow(() -> store(3).copyObject(ObjectRef.of("s", "k"), REF, null, never));
        assertThat(etag).isEqualTo("\"e2\"");
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(json(200, "{\"Code\":\"NoSuchUpload\",\"Message\":\"gone\"}"));
        StoreException e = catchThrowableOfType(StoreException.class, () -> store(3).completeMultipartUpload(REF, "u",
                List.of(new UploadedPart(1, "\"e\"", 1)), never));
        assertThat(e.code()).isEqualTo("NoSuchUpload");
        assertThat(e.httpStatus()).isEqualTo(404);
    }

    @Test
    void completeReturnsTheCrcFromTheHeaderOrTheDocument() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).setHeader(Crc64.HEADER, "15873236020828532839")
                .body("{\"ETag\":\"\\\"abc-2\\\"\"}").build());
        CompletedUpload done = store(1).completeMultipartUploadWithChecksums(REF, "u",
                List.of(new UploadedPart(2, "e2", 5), new UploadedPart(1, "\"e1\"", 5)), never);
        assertThat(done.etag()).isEqualTo("\"abc-2\"");
        assertThat(done.checksums()).containsExactly(Map.entry(Crc64.HEADER, "15873236020828532839"));
        RecordedRequest r = server.takeRequest();
        assertThat(r.getTarget()).isEqualTo("/bkt/a/b.bin?uploadId=u");
        assertThat(r.getBody().utf8()).isEqualTo(
                "{\"Parts\":[{\"PartNumber\":1,\"ETag\":\"\\\"e1\\\"\"},{\"PartNumber\":2,\"ETag\":\"\\\"e2\\\"\"}]}");
        assertThat(r.getHeaders().get("X-Tos-Content-Sha256")).isEqualTo(Signing.sha256Hex(r.getBody().toByteArray()));

        server.enqueue(json(200, "{\"ETag\":\"\\\"x\\\"\",\"HashCrc64ecma\":\"42\"}"));
        assertThat(store(1).completeMultipartUploadWithChecksums(REF, "u", List.of(), never).checksums())
                .containsExactly(Map.entry(Crc64.HEADER, "42"));
        server.enqueue(json(200, "{\"ETag\":\"\\\"x\\\"\"}"));
        assertThat(store(1).completeMultipartUploadWithChecksums(REF, "u", List.of(), never).checksums()).isEmpty();
    }

    @Test
    void requestShapesFollowTheTosApi() throws Exception {
        server.enqueue(json(200, "{\"Bucket\":\"bkt\",\"Key\":\"a/b.bin\",\"UploadId\":\"up 1\"}"));
        server.enqueue(json(200, "{\"ETag\":\"\\\"p1\\\"\"}"));
        server.enqueue(json(200, "{\"Contents\":[],\"IsTruncated\":false}"));
        TosStore s = store(1);

        assertThat(s.createMultipartUpload(REF, Map.of("Content-Type", "text/plain", "x-tos-meta-a", "b"), never))
                .isEqualTo("up 1");
        s.uploadPartCopy(REF, "up 1", 7, new ObjectRef("src", "x y/z", "v+1"), 10, 19, "e", never);
        s.list("bkt", "a/", "/", "tok+=", 50, never);

        RecordedRequest create = server.takeRequest();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getTarget()).isEqualTo("/bkt/a/b.bin?uploads=");
        assertThat(create.getHeaders().get("content-type")).isEqualTo("text/plain");
        assertThat(create.getHeaders().get("x-tos-meta-a")).isEqualTo("b");
        assertThat(create.getHeaders().get("Authorization")).contains("SignedHeaders=content-type;host;x-tos-date;"
                + "x-tos-meta-a,");
        RecordedRequest copy = server.takeRequest();
        assertThat(copy.getTarget()).isEqualTo("/bkt/a/b.bin?partNumber=7&uploadId=up%201");
        assertThat(copy.getHeaders().get("x-tos-copy-source")).isEqualTo("/src/x%20y%2Fz?versionId=v%2B1");
        assertThat(copy.getHeaders().get("x-tos-copy-source-range")).isEqualTo("bytes=10-19");
        assertThat(copy.getHeaders().get("x-tos-copy-source-if-match")).isEqualTo("\"e\"");
        RecordedRequest list = server.takeRequest();
        assertThat(list.getTarget()).isEqualTo("/bkt/?continuation-token=tok%2B%3D&delimiter=%2F&list-type=2"
                + "&max-keys=50&prefix=a%2F");
    }

    @Test
    void aTruncatedListingWithoutATokenIsRefused() {
        server.enqueue(json(200, "{\"Contents\":[{\"Key\":\"a\",\"Size\":1}],\"IsTruncated\":true}"));
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).list("bkt", "", null, null, 1, never));
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("NextContinuationToken");
    }

    @Test
    void aListingThatDoesNotAdvanceIsRefused() {
        server.enqueue(json(200, "{\"Contents\":[],\"IsTruncated\":true,\"NextContinuationToken\":\"t\"}"));
        assertThatThrownBy(() -> store(3).list("bkt", "", null, "t", 1, never))
                .isInstanceOf(StoreException.class).hasMessageContaining("does not advance");
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        server.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        server.enqueue(json(200, "{\"Buckets\":[{\"Name\":\"b\",\"CreationDate\":\"2025-07-01T10:00:00.000Z\"}]}"));
        assertThat(store(3).listBuckets(never)).singleElement()
                .satisfies(b -> assertThat(b.created()).isEqualTo(Instant.parse("2025-07-01T10:00:00Z")));
    }

    @Test
    void aRangeAnsweredWithTheWrongBytesIsRefused() {
        server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 0-9/100")
                .body("0123456789").build());
        StoreException e = catchThrowableOfType(StoreException.class, () -> store(1).getRange(REF, 10, 19, null, never));
        assertThat(e.getMessage()).contains("Content-Range");
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
