package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.testing.Await;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FaultProxy.ConnectionStats;
import dev.ferry.testing.FaultProxy.Fate;
import dev.ferry.testing.TestData;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/** The fault-injecting proxy itself: it forwards faithfully, counts exactly and injects each fault as told. */
class FaultProxyTest {
    private static final int SIZE = 100_000;
    private static final byte[] BODY = TestData.bytes(SIZE, 3);

    private MockWebServer server;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if ("HEAD".equals(r.getMethod())) {
                    return new MockResponse.Builder().setHeader("Content-Length", SIZE).build();
                }
                if (r.getUrl().encodedPath().equals("/chunked")) {
                    return new MockResponse.Builder().chunkedBody(new Buffer().write(BODY), 7_000).build();
                }
                return new MockResponse.Builder().body(new Buffer().write(BODY)).build();
            }
        });
        server.start();
        proxy = new FaultProxy(server.url("/").uri(), 1);
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
    }

    private static OkHttpClient client(Duration readTimeout) {
        return new OkHttpClient.Builder().retryOnConnectionFailure(false).readTimeout(readTimeout).build();
    }

    private byte[] get(OkHttpClient client, String path) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(proxy.endpoint().resolve(path).toString()).build())
                .execute()) {
            return r.body().bytes();
        }
    }

    @Test
    void forwardsKeepAliveResponsesOfEveryFramingAndCountsTheirBodies() throws Exception {
        OkHttpClient c = client(Duration.ofSeconds(10));

        assertThat(get(c, "/a")).isEqualTo(BODY);
        try (Response head = c.newCall(new Request.Builder().url(proxy.endpoint().resolve("/a").toString()).head()
                .build()).execute()) {
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        }
        assertThat(get(c, "/chunked")).isEqualTo(BODY);
        assertThat(get(c, "/b")).isEqualTo(BODY);

        assertThat(proxy.connections()).singleElement().satisfies(s -> {
            assertThat(s.responses()).isEqualTo(4);
            assertThat(s.bodyBytesDown()).isEqualTo(3L * SIZE);
        });
        // the total (heads included) is counted by the pump as it forwards, which may trail the client's last read
        dev.ferry.testing.Await.until("every byte counted", java.time.Duration.ofSeconds(10),
                () -> proxy.bytesDown() > 3L * SIZE);
    }

    @Test
    void resetsAfterExactlyTheGivenBodyBytes() throws Exception {
        proxy.resetResponses(1.0, 12_345);

        assertThatThrownBy(() -> get(client(Duration.ofSeconds(10)), "/a")).isInstanceOf(IOException.class);

        Await.until("the reset is recorded", () -> proxy.count(Fate.RESET) == 1);
        ConnectionStats s = proxy.connections().get(0);
        assertThat(s.bodyBytesDown()).isEqualTo(12_345);
    }

    @Test
    void aShortBodyPassesAResetThatComesLater() throws Exception {
        proxy.resetResponses(1.0, SIZE + 1);
        assertThat(get(client(Duration.ofSeconds(10)), "/a")).isEqualTo(BODY);
    }

    @Test
    void aStallOutlastsTheReadTimeoutAndEndsWhenTheClientLeaves() throws Exception {
        proxy.stallConnections(1, 5_000, Duration.ofSeconds(60));
        OkHttpClient c = client(Duration.ofMillis(500));

        assertThatThrownBy(() -> get(c, "/a")).isInstanceOf(SocketTimeoutException.class);
        Await.until("the client gives up on the stalled connection",
                () -> proxy.connections().get(0).clientLeftWhileStalled());
        assertThat(proxy.connections().get(0).bodyBytesDown()).isEqualTo(5_000);

        assertThat(get(c, "/b")).as("only the next connection stalls").isEqualTo(BODY);
    }

    @Test
    void throttlePacesTheBytes() throws Exception {
        proxy.throttle(200_000);
        long t0 = System.nanoTime();
        assertThat(get(client(Duration.ofSeconds(10)), "/a")).isEqualTo(BODY);
        // 100 kB at 200 kB/s cannot arrive in less than about half a second
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(400);
    }

    @Test
    void refusedConnectionsFailAndTheNextOneWorks() throws Exception {
        proxy.refuseNext(2);
        OkHttpClient c = client(Duration.ofSeconds(10));

        assertThatThrownBy(() -> get(c, "/a")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(c, "/a")).isInstanceOf(IOException.class);
        assertThat(get(c, "/a")).isEqualTo(BODY);
        assertThat(proxy.count(Fate.REFUSED)).isEqualTo(2);
    }

    @Test
    void recordsSignaturesAndTokensFromRequests() throws Exception {
        OkHttpClient c = client(Duration.ofSeconds(10));
        try (Response r = c.newCall(new Request.Builder().url(proxy.endpoint().resolve("/a?X-Amz-Signature="
                        + "00112233445566778899aabbccddeeff").toString())
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AK/20250101/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host, Signature=ffeeddccbbaa99887766554433221100")
                .header("X-Amz-Security-Token", "token-xyz").build()).execute()) {
            r.body().bytes();
        }
        assertThat(proxy.signatures()).containsExactlyInAnyOrder("00112233445566778899aabbccddeeff",
                "ffeeddccbbaa99887766554433221100");
        assertThat(proxy.sessionTokens()).containsExactly("token-xyz");
    }
}
