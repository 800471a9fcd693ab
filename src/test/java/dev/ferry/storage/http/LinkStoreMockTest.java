package dev.ferry.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.StoreException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/** A link's store against servers that misbehave on cue. */
class LinkStoreMockTest {
    private static final String BODY = "0123456789abcdefghijklmnopqrstuvwxyz";
    private final MockWebServer server = new MockWebServer();
    private final MockWebServer other = new MockWebServer();
    private final CancelSignal never = new CancelSignal();

    @BeforeEach
    void start() throws IOException {
        server.start();
        other.start();
    }

    @AfterEach
    void stop() {
        server.close();
        other.close();
    }

    private LinkStore store(String url) {
        return new LinkStore(Link.parse(url), HttpClients.create(4), RetryPolicy.fast(3));
    }

    private String url(String pathAndQuery) {
        return server.url(pathAndQuery).toString();
    }

    private static MockResponse partial(int start, int end, String etag) {
        return new MockResponse.Builder().code(206).setHeader("ETag", etag)
                .setHeader("Last-Modified", "Tue, 03 Nov 2026 10:00:00 GMT")
                .setHeader("Content-Range", "bytes " + start + "-" + end + "/" + BODY.length())
                .body(BODY.substring(start, end + 1)).build();
    }

    private static MockResponse whole(String etag) {
        return new MockResponse.Builder().code(200).setHeader("ETag", etag)
                .setHeader("Last-Modified", "Tue, 03 Nov 2026 10:00:00 GMT").body(BODY).build();
    }

    private static String read(RangeBody body, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && body.channel().read(buf) >= 0) {
            // keep reading
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    @Test
    void theProbeIsAOneByteGetThatLearnsSizeRangesAndTheFileName() throws Exception {
        server.enqueue(new MockResponse.Builder(partial(0, 0, "\"v1\""))
                .setHeader("Content-Disposition", "attachment; filename=\"report.pdf\"").build());
        LinkStore store = store(url("/files/x?sig=abc"));

        ObjectInfo info = store.head(store.link().ref(), never);

        assertThat(info.size()).isEqualTo(BODY.length());
        assertThat(info.rangeReads()).isTrue();
        assertThat(info.etag()).isEqualTo("\"v1\"");
        assertThat(info.metadata()).containsEntry("content-disposition", "attachment; filename=\"report.pdf\"");
        RecordedRequest probe = server.takeRequest();
        assertThat(probe.getMethod()).isEqualTo("GET");
        assertThat(probe.getHeaders().get("Range")).isEqualTo("bytes=0-0");
        assertThat(probe.getHeaders().get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void aServerThatAnswersTheProbeWithTheWholeFileServesNoRanges() throws Exception {
        server.enqueue(whole("\"v1\""));
        LinkStore store = store(url("/f"));

        ObjectInfo info = store.head(store.link().ref(), never);

        assertThat(info.rangeReads()).isFalse();
        assertThat(info.size()).isEqualTo(BODY.length());
    }

    @Test
    void aFileOfUnknownLengthIsReadToItsEnd() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).chunkedBody(BODY, 5).build());
        server.enqueue(new MockResponse.Builder().code(200).chunkedBody(BODY, 5).build());
        LinkStore store = store(url("/f"));
        ObjectInfo info = store.head(store.link().ref(), never);
        assertThat(info.sizeKnown()).isFalse();

        try (RangeBody body = store.getRange(store.link().ref(), 10, -1, null, never)) {
            assertThat(body.length()).isEqualTo(-1);
            assertThat(read(body, 100)).isEqualTo(BODY.substring(10));
        }
    }

    @Test
    void anEmptyFileAnswersTheProbeWith416() throws Exception {
        server.enqueue(new MockResponse.Builder().code(416).setHeader("Content-Range", "bytes */0").build());
        LinkStore store = store(url("/empty"));

        assertThat(store.head(store.link().ref(), never).size()).isZero();
    }

    @Test
    void aRangeAnsweredWithTheWholeSameFileIsReadFromTheRequestedByte() throws Exception {
        server.enqueue(partial(0, 0, "\"v1\""));
        server.enqueue(whole("\"v1\""));
        LinkStore store = store(url("/f"));
        ObjectInfo info = store.head(store.link().ref(), never);

        try (RangeBody body = store.getRange(store.link().ref(), 20, 29, info.etag(), never)) {
            assertThat(body.start()).isEqualTo(20);
            assertThat(read(body, 10)).isEqualTo(BODY.substring(20, 30));
        }
        RecordedRequest probe = server.takeRequest();
        RecordedRequest get = server.takeRequest();
        assertThat(probe.getHeaders().get("Range")).isEqualTo("bytes=0-0");
        assertThat(get.getHeaders().get("Range")).isEqualTo("bytes=20-29");
        assertThat(get.getHeaders().get("If-Range")).isEqualTo("\"v1\"");
        assertThat(get.getHeaders().get("If-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void aWholeFileWithAnotherEtagIsRefusedAsAChangedFile() throws Exception {
        server.enqueue(partial(0, 0, "\"v1\""));
        server.enqueue(whole("\"v2\""));
        LinkStore store = store(url("/f"));
        ObjectInfo info = store.head(store.link().ref(), never);

        assertThatThrownBy(() -> store.getRange(store.link().ref(), 20, 29, info.etag(), never))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.isPreconditionFailed()).isTrue();
                    assertThat(e.getMessage()).contains("changed");
                });
    }

    @Test
    void aWrongContentRangeIsNeverDeliveredAndLeftToTheCallerToRetry() throws Exception {
        server.enqueue(partial(0, 0, "\"v1\""));
        server.enqueue(partial(21, 30, "\"v1\""));
        LinkStore store = store(url("/f"));
        ObjectInfo info = store.head(store.link().ref(), never);

        // the download retries from the byte it has (it knows where it is); the store refuses the answer as retryable
        assertThatThrownBy(() -> store.getRange(store.link().ref(), 20, 29, info.etag(), never))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("Content-Range bytes 21-30");
                });
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRedirectToAnotherHostDoesNotCarryTheLinksCredentials() throws Exception {
        server.enqueue(new MockResponse.Builder().code(302)
                .setHeader("Location", other.url("/mirror/f").toString()).build());
        other.enqueue(partial(0, 0, "\"v1\""));
        String link = server.url("/f").newBuilder().username("alice").password("s3cret-pass").build().toString();
        LinkStore store = store(link);

        store.head(store.link().ref(), never);

        assertThat(server.takeRequest().getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(other.takeRequest().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void aRedirectWithinTheSameOriginKeepsTheCredentials() throws Exception {
        server.enqueue(new MockResponse.Builder().code(301).setHeader("Location", "/moved/f").build());
        server.enqueue(partial(0, 0, "\"v1\""));
        String link = server.url("/f").newBuilder().username("alice").password("s3cret-pass").build().toString();
        LinkStore store = store(link);

        store.head(store.link().ref(), never);

        server.takeRequest();
        RecordedRequest moved = server.takeRequest();
        assertThat(moved.getUrl().encodedPath()).isEqualTo("/moved/f");
        assertThat(moved.getHeaders().get("Authorization")).startsWith("Basic ");
    }

    @Test
    void endlessRedirectsStopWithAMessage() throws Exception {
        for (int i = 0; i < LinkStore.MAX_REDIRECTS; i++) {
            server.enqueue(new MockResponse.Builder().code(302).setHeader("Location", "/loop" + i).build());
        }
        LinkStore store = store(url("/f?token=hush"));

        assertThatThrownBy(() -> store.head(store.link().ref(), never))
                .hasMessageContaining("more than " + LinkStore.MAX_REDIRECTS + " redirects")
                .hasMessageNotContaining("hush");
    }

    @Test
    void anExpiredPresignedLinkSaysSoWithoutShowingItsSignature() throws Exception {
        server.enqueue(new MockResponse.Builder().code(403).setHeader("Content-Type", "application/xml")
                .body("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>").build());
        LinkStore store = store(url("/f?X-Amz-Signature=deadbeefcafe&X-Amz-Expires=60"));

        assertThatThrownBy(() -> store.head(store.link().ref(), never))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.code()).isEqualTo("AccessDenied");
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.getMessage()).contains("Request has expired").contains("fresh link")
                            .doesNotContain("deadbeefcafe").doesNotContain("X-Amz-Expires");
                });
    }

    @Test
    void slowDownsAreRetriedAfterTheirRetryAfter() throws Exception {
        server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "1").build());
        server.enqueue(partial(0, 0, "\"v1\""));
        LinkStore store = store(url("/f"));
        long t0 = System.nanoTime();

        assertThat(store.head(store.link().ref(), never).size()).isEqualTo(BODY.length());
        // the fast test policy waits 0-50 ms between attempts of its own: only Retry-After makes it a second
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900L);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aHugeErrorPageIsNotReadWhole() throws Exception {
        String huge = "x".repeat(200_000) + "<Code>Hidden</Code>";
        server.enqueue(new MockResponse.Builder().code(404).body(huge).build());
        LinkStore store = store(url("/f"));

        assertThatThrownBy(() -> store.head(store.link().ref(), never))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.code()).isNull();
                    assertThat(e.getMessage()).contains("no file at this link");
                });
    }

    @Test
    void aLinkIsNotAListableStore() {
        LinkStore store = store(url("/f"));
        assertThatThrownBy(() -> store.list("b", "", null, null, 10, never)).hasMessageContaining("one file");
    }
}
