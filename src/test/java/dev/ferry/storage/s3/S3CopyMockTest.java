package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.Signing;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.testing.SigV4Check;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** Request shapes and answer handling of S3Store's copy operations, against a scripted server. */
class S3CopyMockTest {
    private static final Credentials CREDS = new Credentials("AKIDCOPY", "copy-secret-7Hq2", null);
    private static final ObjectRef DEST = ObjectRef.of("dbkt", "d/ziel x.bin");
    private static final ObjectRef SOURCE = ObjectRef.of("sbkt", "dir/quelle ü a+b.bin");
    private static final String XML_DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final MockWebServer server = new MockWebServer();
    private final CancelSignal never = new CancelSignal();
    /** Every request a test took from the server; all must carry a valid signature. */
    private final List<RecordedRequest> taken = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void everyRequestIsSigned() throws InterruptedException {
        for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            taken.add(r);
        }
        server.close();
        for (RecordedRequest r : taken) {
            assertThat(SigV4Check.problem(r, CREDS, "us-east-1")).as(r.getRequestLine()).isNull();
        }
    }

    private S3Store store(int attempts) {
        S3Config config = new S3Config(server.url("/").uri(), "us-east-1", CREDS, true);
        return new S3Store(config, HttpClients.create(2), RetryPolicy.fast(attempts));
    }

    private RecordedRequest next() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request arrived").isNotNull();
        taken.add(r);
        return r;
    }

    private static MockResponse ok(String xml) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml").body(xml).build();
    }

    private static MockResponse errorIn200(String code) {
        return ok(XML_DECL + "<Error><Code>" + code + "</Code><Message>m-" + code + "</Message><RequestId>RID-" + code
                + "</RequestId></Error>");
    }

    private static MockResponse copyPartResult(String etag) {
        return ok(XML_DECL + "<CopyPartResult><LastModified>2025-07-01T10:00:00.000Z</LastModified><ETag>&quot;" + etag
                + "&quot;</ETag></CopyPartResult>");
    }

    private static String signedHeaders(RecordedRequest r) {
        Matcher m = Pattern.compile("SignedHeaders=([^,]+)").matcher(r.getHeaders().get("Authorization"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    // ------------------------------------------------------------------ errors inside a 200

    @Test
    void partCopyAnsweredWithInternalErrorInA200IsRetriedThenSucceeds() throws Exception {
        server.enqueue(errorIn200("InternalError"));
        server.enqueue(copyPartResult("p1"));

        String etag = store(3).uploadPartCopy(DEST, "up1", 1, SOURCE, 0, 99, null, never);

        assertThat(etag).isEqualTo("\"p1\"");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void accessDeniedInA200IsNotRetriedAndKeepsItsCode() throws Exception {
        server.enqueue(errorIn200("AccessDenied"));
        server.enqueue(copyPartResult("never-asked-for"));

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).uploadPartCopy(DEST, "up1", 1, SOURCE, 0, 99, null, never));

        assertThat(e.code()).isEqualTo("AccessDenied");
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.requestId()).isEqualTo("RID-AccessDenied");
        assertThat(e.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void copyObjectKeepsRetryingAnErrorInA200UntilAttemptsRunOut() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(errorIn200("SlowDown"));
        }
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).copyObject(SOURCE, DEST, null, never));

        assertThat(e.code()).isEqualTo("SlowDown");
        assertThat(e.httpStatus()).isEqualTo(503);
        assertThat(e.isRetryable()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void completeIsRetriedAfterAnErrorInA200AndReadsAResultAfterKeepAliveWhitespace() throws Exception {
        // S3 sends whitespace while it assembles the object, then the result or an error
        server.enqueue(ok("  \n " + XML_DECL + "<Error><Code>InternalError</Code><Message>x</Message></Error>"));
        server.enqueue(ok(" \n  \n" + XML_DECL + "<CompleteMultipartUploadResult><Location>l</Location><Bucket>dbkt"
                + "</Bucket><Key>d/ziel x.bin</Key><ETag>&quot;whole-2&quot;</ETag></CompleteMultipartUploadResult>"));

        String etag = store(3).completeMultipartUpload(DEST, "up1", List.of(new UploadedPart(1, "a", 5)), never);

        assertThat(etag).isEqualTo("\"whole-2\"");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aResultWithoutAnEtagIsAClearFailure() throws Exception {
        server.enqueue(ok(XML_DECL + "<CopyObjectResult><LastModified>x</LastModified></CopyObjectResult>"));

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).copyObject(SOURCE, DEST, null, never));

        assertThat(e.getMessage()).contains("CopyObject", "no ETag");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ request shapes

    @Test
    void partCopyNamesTheUploadPartRangeSourceAndGuard() throws Exception {
        server.enqueue(copyPartResult("p7"));
        ObjectRef versioned = new ObjectRef(SOURCE.bucket(), SOURCE.key(), "v 1/x+y");

        store(1).uploadPartCopy(DEST, "up/load=id+1", 7, versioned, 100, 5_242_979, "abc", never);

        RecordedRequest r = next();
        assertThat(r.getMethod()).isEqualTo("PUT");
        assertThat(r.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?partNumber=7&uploadId=up%2Fload%3Did%2B1");
        assertThat(r.getHeaders().get("x-amz-copy-source"))
                .isEqualTo("/sbkt/dir/quelle%20%C3%BC%20a%2Bb.bin?versionId=v%201%2Fx%2By");
        assertThat(r.getHeaders().get("x-amz-copy-source-range")).isEqualTo("bytes=100-5242979");
        assertThat(r.getHeaders().get("x-amz-copy-source-if-match")).isEqualTo("\"abc\"");
        assertThat(r.getHeaders().get("x-amz-content-sha256")).isEqualTo(SigV4Signer.EMPTY_SHA256);
        assertThat(r.getBodySize()).isZero();
        assertThat(signedHeaders(r)).contains("x-amz-copy-source;x-amz-copy-source-if-match;x-amz-copy-source-range");
    }

    @Test
    void copyObjectCopiesMetadataAndSendsNoGuardWhenNoneIsGiven() throws Exception {
        server.enqueue(ok(XML_DECL + "<CopyObjectResult><ETag>&quot;c1&quot;</ETag></CopyObjectResult>"));
        server.enqueue(ok(XML_DECL + "<CopyObjectResult><ETag>&quot;c2&quot;</ETag></CopyObjectResult>"));
        S3Store store = store(1);

        assertThat(store.copyObject(SOURCE, DEST, "\"src-etag\"", never)).isEqualTo("\"c1\"");
        assertThat(store.copyObject(SOURCE, DEST, null, never)).isEqualTo("\"c2\"");

        RecordedRequest guarded = next();
        assertThat(guarded.getMethod()).isEqualTo("PUT");
        assertThat(guarded.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin");
        assertThat(guarded.getHeaders().get("x-amz-copy-source")).isEqualTo("/sbkt/dir/quelle%20%C3%BC%20a%2Bb.bin");
        assertThat(guarded.getHeaders().get("x-amz-metadata-directive")).isEqualTo("COPY");
        assertThat(guarded.getHeaders().get("x-amz-copy-source-if-match")).isEqualTo("\"src-etag\"");
        assertThat(signedHeaders(guarded)).contains("x-amz-metadata-directive");
        assertThat(next().getHeaders().get("x-amz-copy-source-if-match")).isNull();
    }

    @Test
    void createSendsTheMetadataAndAnEmptyUploadsParameter() throws Exception {
        server.enqueue(ok(XML_DECL + "<InitiateMultipartUploadResult><Bucket>dbkt</Bucket><Key>d/ziel x.bin</Key>"
                + "<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>"));
        Map<String, String> metadata = Map.of("Content-Type", "text/plain", "expires", "Wed, 21 Oct 2026 07:28:00 GMT",
                "content-disposition", "attachment", "x-amz-meta-owner", "ferry");

        assertThat(store(1).createMultipartUpload(DEST, metadata, never)).isEqualTo("VXBsb2FkIElE");

        RecordedRequest r = next();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?uploads=");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("text/plain");
        assertThat(r.getHeaders().get("Expires")).isEqualTo("Wed, 21 Oct 2026 07:28:00 GMT");
        assertThat(r.getHeaders().get("Content-Disposition")).isEqualTo("attachment");
        assertThat(r.getHeaders().get("x-amz-meta-owner")).isEqualTo("ferry");
        assertThat(signedHeaders(r)).contains("x-amz-meta-owner");
    }

    @Test
    void createRefusesHeadersThatAreNotMetadata() {
        assertThatThrownBy(() -> store(1).createMultipartUpload(DEST, Map.of("x-amz-acl", "public-read"), never))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-amz-acl");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aMetadataValueHttpCannotCarryIsAFinalFailureNotACrash() {
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store(3).createMultipartUpload(DEST, Map.of("x-amz-meta-note", "caf\u00e9"), never));

        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).contains("CreateMultipartUpload", "x-amz-meta-note");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void completeListsThePartsInOrderWithQuotedEtagsAndSignsTheBody() throws Exception {
        server.enqueue(ok(XML_DECL + "<CompleteMultipartUploadResult><ETag>&quot;w-3&quot;</ETag>"
                + "</CompleteMultipartUploadResult>"));
        List<UploadedPart> shuffled = List.of(new UploadedPart(3, "\"e3\"", 1), new UploadedPart(1, "e1", 5),
                new UploadedPart(2, "\"e2\"", 5));

        store(1).completeMultipartUpload(DEST, "up-9", shuffled, never);

        RecordedRequest r = next();
        String body = r.getBody().utf8();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?uploadId=up-9");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/xml");
        assertThat(body).endsWith("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
                + "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part>"
                + "<Part><PartNumber>3</PartNumber><ETag>\"e3\"</ETag></Part>"
                + "</CompleteMultipartUpload>");
        assertThat(r.getHeaders().get("x-amz-content-sha256")).isEqualTo(Signing.sha256Hex(body));
    }

    // ------------------------------------------------------------------ listings

    @Test
    void listPartsFollowsTheMarkerAcrossPages() throws Exception {
        server.enqueue(ok(XML_DECL + "<ListPartsResult><UploadId>u</UploadId><PartNumberMarker>0</PartNumberMarker>"
                + "<NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>"
                + part(1, "a", 5_242_880) + part(2, "b", 5_242_880) + "</ListPartsResult>"));
        server.enqueue(ok(XML_DECL + "<ListPartsResult><UploadId>u</UploadId><PartNumberMarker>2</PartNumberMarker>"
                + "<IsTruncated>false</IsTruncated>" + part(3, "c", 17) + "</ListPartsResult>"));

        List<UploadedPart> parts = store(1).listParts(DEST, "u", never);

        assertThat(parts).containsExactly(new UploadedPart(1, "\"a\"", 5_242_880), new UploadedPart(2, "\"b\"", 5_242_880),
                new UploadedPart(3, "\"c\"", 17));
        RecordedRequest first = next();
        RecordedRequest second = next();
        assertThat(first.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?max-parts=1000&uploadId=u");
        assertThat(second.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?max-parts=1000&part-number-marker=2&uploadId=u");
    }

    @Test
    void aPartListingThatDoesNotAdvanceIsRefused() {
        String stuck = XML_DECL + "<ListPartsResult><NextPartNumberMarker>2</NextPartNumberMarker>"
                + "<IsTruncated>true</IsTruncated>" + part(2, "b", 1) + "</ListPartsResult>";
        server.enqueue(ok(stuck));
        server.enqueue(ok(stuck));

        StoreException e = catchThrowableOfType(StoreException.class, () -> store(1).listParts(DEST, "u", never));

        assertThat(e.getMessage()).contains("does not advance");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    private static String part(int number, String etag, long size) {
        return "<Part><PartNumber>" + number + "</PartNumber><LastModified>2025-07-01T10:00:00.000Z</LastModified>"
                + "<ETag>&quot;" + etag + "&quot;</ETag><Size>" + size + "</Size></Part>";
    }

    @Test
    void listUploadsDecodesKeysAndSendsMarkersOnlyFromTheSecondPage() throws Exception {
        server.enqueue(ok(XML_DECL + "<ListMultipartUploadsResult><Bucket>dbkt</Bucket><EncodingType>url</EncodingType>"
                + "<IsTruncated>true</IsTruncated><NextKeyMarker>d%2Fa%20%C3%BC</NextKeyMarker>"
                + "<NextUploadIdMarker>u2</NextUploadIdMarker>"
                + "<Upload><Key>d%2Fa%20%C3%BC</Key><UploadId>u1</UploadId></Upload>"
                + "<Upload><Key>d%2Fa%20%C3%BC</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>"));
        server.enqueue(ok(XML_DECL + "<ListMultipartUploadsResult><EncodingType>url</EncodingType>"
                + "<IsTruncated>false</IsTruncated><NextKeyMarker/><NextUploadIdMarker/>"
                + "<Upload><Key>d%2Fz%2Bq</Key><UploadId>u3</UploadId></Upload></ListMultipartUploadsResult>"));

        List<MultipartUpload> uploads = store(1).listMultipartUploads("dbkt", "d/", never);

        assertThat(uploads).containsExactly(new MultipartUpload("d/a ü", "u1"), new MultipartUpload("d/a ü", "u2"),
                new MultipartUpload("d/z+q", "u3"));
        RecordedRequest first = next();
        RecordedRequest second = next();
        assertThat(first.getTarget()).isEqualTo("/dbkt/?encoding-type=url&prefix=d%2F&uploads=");
        assertThat(second.getTarget()).isEqualTo(
                "/dbkt/?encoding-type=url&key-marker=d%2Fa%20%C3%BC&prefix=d%2F&upload-id-marker=u2&uploads=");
    }

    // ------------------------------------------------------------------ abort

    @Test
    void abortCountsAnUploadAlreadyGoneAsAbortedButNotAMissingBucket() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());
        server.enqueue(error(404, "NoSuchUpload"));
        server.enqueue(error(404, "NoSuchBucket"));
        S3Store store = store(1);

        store.abortMultipartUpload(DEST, "u1", never);
        store.abortMultipartUpload(DEST, "u1", never);
        StoreException e = catchThrowableOfType(StoreException.class,
                () -> store.abortMultipartUpload(DEST, "u1", never));

        assertThat(e.code()).isEqualTo("NoSuchBucket");
        RecordedRequest r = next();
        assertThat(r.getMethod()).isEqualTo("DELETE");
        assertThat(r.getTarget()).isEqualTo("/dbkt/d/ziel%20x.bin?uploadId=u1");
    }

    private static MockResponse error(int status, String code) {
        return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/xml")
                .body(XML_DECL + "<Error><Code>" + code + "</Code><Message>m</Message></Error>").build();
    }
}
