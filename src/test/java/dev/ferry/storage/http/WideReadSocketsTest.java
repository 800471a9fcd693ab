package dev.ferry.storage.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.testing.WebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The sockets under the HTTP client: wide reads without a limit, a capped kernel buffer under a low one. */
class WideReadSocketsTest {

    @Test
    void aLowLimitCapsTheReceiveBufferAndAHighOrNoLimitLeavesItToTheKernel() {
        assertThat(HttpClients.receiveBufferFor(0, 8)).isZero();
        // 5 MiB/s over 8 connections: an eighth of a second of each one's 640 KiB/s
        assertThat(HttpClients.receiveBufferFor(5L << 20, 8)).isEqualTo(80 << 10);
        assertThat(HttpClients.receiveBufferFor(100 << 10, 8)).isEqualTo(32 << 10);
        assertThat(HttpClients.receiveBufferFor(8L << 20, 1)).isEqualTo(1 << 20);
        assertThat(HttpClients.receiveBufferFor(100L << 20, 8)).isZero();
    }

    @Test
    void bytesArriveWholeThroughTheWideReadBufferInSmallAndLargeReads() throws Exception {
        byte[] sent = new byte[3 * WideReadSockets.READ_BYTES + 12345];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) (i * 31 + (i >>> 9));
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread writer = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    for (int at = 0; at < sent.length; at += 70_000) {
                        out.write(sent, at, Math.min(70_000, sent.length - at));
                        out.flush();
                    }
                } catch (Exception ignored) {
                    // the reader's assertions report what went wrong
                }
            });
            writer.start();
            byte[] got = new byte[sent.length];
            try (Socket s = WideReadSockets.INSTANCE.createSocket(InetAddress.getLoopbackAddress(),
                    server.getLocalPort())) {
                InputStream in = s.getInputStream();
                assertThat(in).isSameAs(s.getInputStream()).isInstanceOf(java.io.BufferedInputStream.class);
                int at = 0;
                int step = 1;
                while (at < got.length) {
                    int n = in.read(got, at, Math.min(step, got.length - at));
                    if (n < 0) {
                        break;
                    }
                    at += n;
                    step = step >= 400_000 ? 1 : step * 7; // small reads and reads wider than the buffer
                }
                assertThat(at).isEqualTo(sent.length);
                assertThat(in.read()).isEqualTo(-1);
            }
            writer.join(5_000);
            assertThat(Arrays.equals(got, sent)).isTrue();
        }
    }

    @Test
    void aCappedSocketAsksTheKernelForItsBufferBeforeConnecting() throws Exception {
        try (Socket capped = new WideReadSockets(96 << 10).createSocket()) {
            // Linux doubles what it is asked for (its own bookkeeping); other systems give it as asked
            assertThat(capped.getReceiveBufferSize()).isBetween(96 << 10, 192 << 10);
            assertThat(capped.isConnected()).isFalse();
        }
    }

    /**
     * A client whose buffer follows a limit: a connection opened under another buffer serves the request it is
     * given and then closes, so the next one is opened for the limit now; one that still fits is reused.
     */
    @Test
    void aConnectionOpenedUnderAnotherBufferClosesAfterItsRequest(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("f.txt"), "hello");
        AtomicInteger buffer = new AtomicInteger(40 << 10);
        OkHttpClient http = HttpClients.create(4, Duration.ofSeconds(5), Duration.ofSeconds(5), false, buffer::get);
        try (WebServer web = WebServer.serve(root)) {
            String url = web.url("f.txt");
            assertThat(get(http, url)).isEqualTo("hello");
            assertThat(get(http, url)).isEqualTo("hello");
            assertThat(http.connectionPool().connectionCount()).as("one connection, reused").isEqualTo(1);

            buffer.set(0); // the limit lifted
            assertThat(get(http, url)).isEqualTo("hello");
            assertThat(http.connectionPool().connectionCount()).as("the capped one closed after its request")
                    .isZero();
            assertThat(get(http, url)).isEqualTo("hello");
            assertThat(get(http, url)).isEqualTo("hello");
            assertThat(http.connectionPool().connectionCount()).as("a new one, kept").isEqualTo(1);
        } finally {
            HttpClients.shutdown(http);
        }
    }

    /** A connection opened ahead under another buffer is not handed out: the socket connects afresh. */
    @Test
    void aConnectionOpenedAheadUnderAnotherBufferIsNotTaken() throws Exception {
        AtomicInteger buffer = new AtomicInteger(40 << 10);
        WideReadSockets sockets = new WideReadSockets(buffer::get, 10_000);
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            sockets.preconnect(List.of(address), 1, 2_000);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (sockets.spareCount(address) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sockets.spareCount(address)).isEqualTo(1);
            buffer.set(0);
            try (Socket s = sockets.createSocket()) {
                s.connect(address, 2_000);
                assertThat(sockets.spareCount(address)).isZero();
                assertThat(s.getInputStream()).as("an uncapped socket reads wide")
                        .isInstanceOf(java.io.BufferedInputStream.class);
            }
        }
    }

    private static String get(OkHttpClient http, String url) throws Exception {
        try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.body().string();
        }
    }
}
