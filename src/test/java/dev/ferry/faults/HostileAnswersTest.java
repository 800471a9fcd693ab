package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * Answers a hostile or broken server may give, against the S3 and TOS stores on a MockWebServer: a range
 * answer whose end or length does not match the request, a redirect to another host, a document that never
 * ends, an error body of many megabytes, and XML or JSON that is cut short or nested beyond reason. Each is a
 * clear, bounded failure: no crash, no unbounded read, no request to another host, nothing taken for data.
 * (Entity expansion, external entities and deep XML are covered by S3XmlTest; a listing over the size bound,
 * a Content-Range for other bytes and a full body to a range by S3StoreMockTest.)
 */
class HostileAnswersTest {
    private static final ObjectRef REF = ObjectRef.of("bkt", "a/b.bin");
    private static final Credentials CREDENTIALS = new Credentials("AKIDHOSTILE", "hostile-secret-7bq2", null);

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer elsewhere = new MockWebServer();
    private final CancelSignal never = new CancelSignal();

    @BeforeEach
    void start() throws IOException {
        server.start();
        elsewhere.start();
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    private S3Store s3(int attempts) {
        return new S3Store(new S3Config(server.url("/").uri(), "us-east-1", CREDENTIALS, true), HttpClients.create(4),
                RetryPolicy.fast(attempts));
    }

    private TosStore tos(int attempts) {
        return new TosStore(new TosConfig(server.url("/").uri(), "cn-beijing", CREDENTIALS, true),
                HttpClients.create(4), RetryPolicy.fast(attempts), Clock.systemUTC());
    }

    // ------------------------------------------------------------------ ranges

    @Test
    void aRangeAnswerWithTheRightStartButAnotherEndIsRefused() {
        server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 10-25/100")
                .body("0123456789abcdef").build());

        StoreException e = catchThrowableOfType(StoreException.class, () -> s3(1).getRange(REF, 10, 19, null, never));

        assertThat(e.getMessage()).contains("Content-Range bytes 10-25/100");
        assertThat(e.isRetryable()).as("another try may get the right bytes").isTrue();
    }

    @Test
    void aContentLengthThatDisagreesWithTheRangeIsRefused() {
        server.enqueue(new MockResponse.Builder().code(206).setHeader("Content-Range", "bytes 10-19/100")
                .body("0123456789abcdef").build());

        StoreException e = catchThrowableOfType(StoreException.class, () -> s3(1).getRange(REF, 10, 19, null, never));

        assertThat(e.getMessage()).contains("sent 16 bytes for a range of 10");
    }

    // ------------------------------------------------------------------ redirects

    /** A redirect is an answer, never followed: the signed request (and its credentials) goes nowhere else. */
    @Test
    void aRedirectToAnotherHostIsNotFollowed() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(307).setHeader("Location",
                        elsewhere.url(request.getUrl().encodedPath()).toString()).build();
            }
        });

        StoreException get = catchThrowableOfType(StoreException.class,
                () -> s3(3).getRange(REF, 0, 9, null, never));
        StoreException head = catchThrowableOfType(StoreException.class, () -> s3(3).head(REF, never));
        StoreException tosGet = catchThrowableOfType(StoreException.class,
                () -> tos(3).getRange(REF, 0, 9, null, never));

        assertThat(List.of(get, head, tosGet)).allSatisfy(e -> {
            assertThat(e.httpStatus()).isEqualTo(307);
            assertThat(e.isRetryable()).isFalse();
        });
        assertThat(elsewhere.getRequestCount()).as("requests that reached the other host").isZero();
    }

    // ------------------------------------------------------------------ documents without end

    /**
     * S3 keeps a slow CompleteMultipartUpload alive with whitespace; a server that never stops sending it is cut
     * at the document bound instead of being read for ever.
     */
    @Test
    void aDocumentThatNeverEndsIsCutAtItsBound() {
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        Buffer body = new Buffer();
        for (int i = 0; i < 17; i++) {
            body.write(spaces);
        }
        server.enqueue(new MockResponse.Builder().code(200).body(body).build());

        StoreException e = catchThrowableOfType(StoreException.class, () -> s3(3).completeMultipartUpload(REF, "u",
                List.of(new UploadedPart(1, "\"e\"", 5)), never));

        assertThat(e.getMessage()).contains("larger than 16 MiB");
        assertThat(e.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    /** An error answer of many megabytes keeps its status and a short message; only its start is read. */
    @Test
    void anErrorAnswerOfManyMegabytesGivesAShortMessage() {
        Buffer body = new Buffer().writeUtf8("<Error><Code>AccessDenied</Code><Message>");
        byte[] filler = new byte[1 << 20];
        Arrays.fill(filler, (byte) 'A');
        for (int i = 0; i < 20; i++) {
            body.write(filler);
        }
        server.enqueue(new MockResponse.Builder().code(403).body(body.writeUtf8("</Message></Error>")).build());

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> s3(3).list("bkt", "", null, null, 1000, never));

        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).hasSizeLessThan(1000);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ malformed documents

    @Test
    void anS3ListingCutShortIsAClearFinalError() {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml")
                .body("<?xml version=\"1.0\"?><ListBucketResult><Name>bkt</Name><Contents><Key>a</Ke").build());

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> s3(3).list("bkt", "", null, null, 1000, never));

        assertThat(e.getMessage()).contains("the listing could not be read").contains("not well-formed XML");
        assertThat(e.isRetryable()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aTosListingCutShortIsAClearFinalError() {
        server.enqueue(json("{\"Name\":\"bkt\",\"Contents\":[{\"Key\":\"a\",\"Si"));

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> tos(3).list("bkt", "", null, null, 1000, never));

        assertThat(e.getMessage()).contains("ListObjectsType2");
        assertThat(e.isRetryable()).isFalse();
    }

    /** JSON nested a hundred thousand deep is refused by the parser's own bound, not by a stack overflow. */
    @Test
    void aTosAnswerNestedBeyondReasonIsAClearError() {
        String deep = "{\"Contents\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        server.enqueue(json(deep));

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> tos(3).list("bkt", "", null, null, 1000, never));

        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.getMessage()).hasSizeLessThan(2000);
    }

    @Test
    void aTosAnswerOfManyMegabytesIsRefused() {
        Buffer body = new Buffer().writeUtf8("{\"Name\":\"");
        byte[] filler = new byte[1 << 20];
        Arrays.fill(filler, (byte) 'n');
        for (int i = 0; i < 17; i++) {
            body.write(filler);
        }
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(body.writeUtf8("\"}")).build());

        StoreException e = catchThrowableOfType(StoreException.class,
                () -> tos(3).list("bkt", "", null, null, 1000, never));

        assertThat(e.getMessage()).contains("larger than 16 MiB");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }
}
