package dev.ferry.storage.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Connections opened ahead ({@link WideReadSockets#preconnect}, {@link HttpClients#connectAhead}): taken by the
 * next sockets that connect to their address, not by others, closed when nobody takes them in time.
 */
class ConnectAheadTest {
    /** A tiny HTTP/1.1 server on loopback that counts the connections it accepts and answers "ok" to each request. */
    private ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "connect-ahead-test");
        t.setDaemon(true);
        return t;
    });

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    open.add(s);
                    threads.execute(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.ISO_8859_1)); OutputStream out = s.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    Thread.sleep(200); // keeps concurrent requests in flight together, each on a connection of its own
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
            closedByClient.incrementAndGet();
        } catch (IOException ignored) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        threads.shutdownNow();
    }

    private InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aSocketConnectingToTheAddressTakesAConnectionOpenedAheadWithItsReadTimeout() throws Exception {
        WideReadSockets sockets = new WideReadSockets(0);
        sockets.preconnect(List.of(address()), 2, 5_000);
        await(() -> sockets.spareCount(address()) == 2 && accepted.get() == 2);

        try (Socket s = sockets.createSocket()) {
            s.setSoTimeout(4_321);
            s.connect(address(), 5_000);

            assertThat(sockets.spareCount(address())).isEqualTo(1);
            assertThat(accepted.get()).as("no new connection").isEqualTo(2);
            assertThat(s.isConnected()).isTrue();
            assertThat(s.getSoTimeout()).isEqualTo(4_321);
            assertThat(s.getPort()).isEqualTo(server.getLocalPort());
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] answer = s.getInputStream().readNBytes(40);
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK").endsWith("ok");
        }
    }

    @Test
    void aSocketConnectingElsewhereConnectsItselfAndLeavesTheSpare() throws Exception {
        WideReadSockets sockets = new WideReadSockets(0);
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), other.getLocalPort());
            sockets.preconnect(List.of(elsewhere), 1, 5_000);
            await(() -> sockets.spareCount(elsewhere) == 1);

            try (Socket s = sockets.createSocket()) {
                s.connect(address(), 5_000);
                await(() -> accepted.get() == 1);
                assertThat(sockets.spareCount(elsewhere)).isEqualTo(1);
            }
        }
    }

    @Test
    void anAddressThatRefusesIsPassedOverForTheNext() throws Exception {
        InetSocketAddress refusing;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = new InetSocketAddress(InetAddress.getLoopbackAddress(), gone.getLocalPort());
        } // closed: connecting there is refused, as an IPv6 address is on a machine without an IPv6 route
        WideReadSockets sockets = new WideReadSockets(0);
        sockets.preconnect(List.of(refusing, address()), 2, 5_000);
        await(() -> accepted.get() == 2 && sockets.spareCount(address()) == 2);

        assertThat(sockets.spareCount(refusing)).isZero();
        try (Socket s = sockets.createSocket()) {
            s.connect(address(), 5_000);
            assertThat(sockets.spareCount(address())).isEqualTo(1);
            assertThat(accepted.get()).as("no new connection").isEqualTo(2);
        }
    }

    @Test
    void theCandidatesAreTheFirstIpv6AddressThenTheFirstIpv4One() throws Exception {
        InetAddress v4a = InetAddress.getByName("192.0.2.1");
        InetAddress v4b = InetAddress.getByName("192.0.2.2");
        InetAddress v6a = InetAddress.getByName("2001:db8::1");
        InetAddress v6b = InetAddress.getByName("2001:db8::2");

        assertThat(HttpClients.candidates(List.of(v4a, v4b, v6a, v6b), 443)).containsExactly(
                new InetSocketAddress(v6a, 443), new InetSocketAddress(v4a, 443));
        assertThat(HttpClients.candidates(List.of(v4b, v4a), 80)).containsExactly(new InetSocketAddress(v4b, 80));
        assertThat(HttpClients.candidates(List.of(v6b), 80)).containsExactly(new InetSocketAddress(v6b, 80));
        assertThat(HttpClients.candidates(List.of(), 80)).isEmpty();
    }

    @Test
    void aConnectionTheServerClosedMeanwhileIsNotTaken() throws Exception {
        WideReadSockets sockets = new WideReadSockets(0);
        sockets.preconnect(List.of(address()), 1, 5_000);
        await(() -> accepted.get() == 1 && sockets.spareCount(address()) == 1);
        open.get(0).close(); // the server gives up on a connection that sent no request
        Thread.sleep(100);

        try (Socket s = sockets.createSocket()) {
            s.setSoTimeout(5_000);
            s.connect(address(), 5_000);
            await(() -> accepted.get() == 2);
            assertThat(sockets.spareCount(address())).isZero();
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(s.getInputStream().readNBytes(40), StandardCharsets.ISO_8859_1)).endsWith("ok");
        }
    }

    @Test
    void aConnectionNobodyTakesIsClosedInTime() throws Exception {
        WideReadSockets sockets = new WideReadSockets(0, 200);
        sockets.preconnect(List.of(address()), 1, 5_000);
        await(() -> accepted.get() == 1);

        await(() -> sockets.spareCount(address()) == 0 && closedByClient.get() == 1);
    }

    @Test
    void aSocketClosedBeforeConnectingStaysClosed() throws Exception {
        WideReadSockets sockets = new WideReadSockets(0);
        Socket s = sockets.createSocket();
        s.close();

        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> s.connect(address(), 1_000)).isInstanceOf(SocketException.class);
        assertThat(accepted.get()).isZero();
    }

    @Test
    void theHttpClientsRequestsRunOnTheConnectionsOpenedAheadAndIdleOnesCountAgainstThem() throws Exception {
        OkHttpClient http = HttpClients.create(8, Duration.ofSeconds(5), Duration.ofSeconds(5), false, 0);
        try {
            WideReadSockets sockets = (WideReadSockets) http.socketFactory();
            // the client's factory is shared with every client of this JVM, so only this server's address counts
            HttpClients.connectAhead(http, "http", "127.0.0.1", server.getLocalPort(), 3);
            await(() -> accepted.get() == 3 && sockets.spareCount(address()) == 3);

            // three requests at once: each needs a connection of its own
            List<Future<String>> answers = new java.util.ArrayList<>();
            Request request = new Request.Builder().url("http://127.0.0.1:" + server.getLocalPort() + "/o").build();
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
            for (int i = 0; i < 3; i++) {
                answers.add(threads.submit(() -> {
                    together.await();
                    try (Response r = http.newCall(request).execute()) {
                        return r.body().string();
                    }
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo("ok");
            }
            assertThat(accepted.get()).as("the requests opened no connection of their own").isEqualTo(3);
            assertThat(sockets.spareCount(address())).isZero();

            // the client now holds those three idle: a further download's connections ahead would go unused
            assertThat(http.connectionPool().idleConnectionCount()).isEqualTo(3);
            HttpClients.connectAhead(http, "http", "127.0.0.1", server.getLocalPort(), 3);
            Thread.sleep(300);
            assertThat(accepted.get()).as("nothing opened beside the idle connections").isEqualTo(3);
            assertThat(sockets.spareCount(address())).isZero();
        } finally {
            HttpClients.shutdown(http);
        }
    }
}
