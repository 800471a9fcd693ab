package dev.ferry.storage.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

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
}
