package dev.ferry.app.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.app.instance.SingleInstance.Claim;

/** The single-instance handshake over real loopback sockets and real file locks. */
class SingleInstanceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    Path home;
    final List<List<String>> received = new CopyOnWriteArrayList<>();
    final List<InstanceServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeServers() {
        servers.forEach(InstanceServer::close);
    }

    private InstanceServer first() throws IOException {
        Claim claim = SingleInstance.claim(home, List.of(), PATIENCE);
        assertThat(claim).isInstanceOf(Claim.First.class);
        InstanceServer server = ((Claim.First) claim).server();
        servers.add(server);
        return server;
    }

    private InstanceServer serving() throws IOException {
        InstanceServer server = first();
        server.serve(received::add);
        return server;
    }

    private Path addressFile() {
        return home.resolve(InstanceAddress.FILE_NAME);
    }

    @Test
    void aSecondStartHandsItsLinksToTheFirstAndTheFirstGetsThemExactly() throws Exception {
        serving();
        List<String> links = List.of("s3://bucket/a b.iso", "tos://other/photos/", "https://example.com/x?y=1&z=é");

        assertThat(SingleInstance.claim(home, links, PATIENCE)).isInstanceOf(Claim.HandedOver.class);
        assertThat(SingleInstance.claim(home, List.of(), PATIENCE)).isInstanceOf(Claim.HandedOver.class);

        assertThat(received).containsExactly(links, List.of());
    }

    @Test
    void theAddressIsReadableByTheOwnerOnlyAndHoldsNoPathToGuess() throws Exception {
        InstanceServer server = serving();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(addressFile()))).isEqualTo("rw-------");
        InstanceAddress address = InstanceAddress.read(addressFile()).orElseThrow();
        assertThat(address.port()).isEqualTo(server.port());
        assertThat(address.token()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(address.toString()).doesNotContain(address.token());
    }

    @Test
    void aWrongTokenOrGarbageIsRefusedAndTheServerStillAnswersAfterwards() throws Exception {
        InstanceServer server = serving();
        String goodToken = InstanceAddress.read(addressFile()).orElseThrow().token();

        assertThat(send(server.port(), "{\"token\":\"" + goodToken.substring(1) + "x\",\"links\":[\"s3://b/k\"]}\n"))
                .isEqualTo(Handover.REFUSED);
        assertThat(send(server.port(), "{\"links\":[\"s3://b/k\"]}\n")).isEqualTo(Handover.REFUSED);
        assertThat(send(server.port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).isEqualTo(Handover.REFUSED);
        assertThat(send(server.port(), "x".repeat(Handover.MAX_LINE + 10))).isNotEqualTo(Handover.ACCEPTED);
        assertThat(received).isEmpty();

        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            silent.getOutputStream().write('{'); // and then nothing, the connection left open
            silent.getOutputStream().flush();
            // the server gives up on the silent client after its read timeout and then answers the next one
            Duration patience = Duration.ofMillis(InstanceServer.READ_TIMEOUT_MILLIS).plus(PATIENCE);
            assertThat(SingleInstance.claim(home, List.of("s3://b/k"), patience)).isInstanceOf(Claim.HandedOver.class);
        }
        assertThat(received).containsExactly(List.of("s3://b/k"));
    }

    @Test
    void anAddressLeftByAnAppThatEndedIsNotTrusted() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        new InstanceAddress(deadPort, "left-by-a-crashed-app").write(addressFile());
        Files.writeString(home.resolve(SingleInstance.LOCK_NAME), "");

        InstanceServer server = serving(); // nobody holds the lock, so this start is the app, whatever the file says

        InstanceAddress now = InstanceAddress.read(addressFile()).orElseThrow();
        assertThat(now.port()).isEqualTo(server.port());
        assertThat(now.token()).isNotEqualTo("left-by-a-crashed-app");
        assertThat(SingleInstance.claim(home, List.of("s3://b/k"), PATIENCE)).isInstanceOf(Claim.HandedOver.class);
        assertThat(received).containsExactly(List.of("s3://b/k"));
    }

    @Test
    void aGarbledAddressFileIsIgnored() throws Exception {
        Files.writeString(addressFile(), "{\"port\": \"not a number\"");
        assertThat(InstanceAddress.read(addressFile())).isEmpty();
        Files.writeString(addressFile(), "{\"port\": 0, \"token\": \"t\"}");
        assertThat(InstanceAddress.read(addressFile())).isEmpty();
        serving();
        assertThat(InstanceAddress.read(addressFile())).isPresent();
    }

    @Test
    void aSecondStartWaitsForAnAppThatIsStillStarting() throws Exception {
        InstanceServer starting = first(); // holds the lock, does not listen yet
        CompletableFuture<Claim> second = CompletableFuture.supplyAsync(() -> {
            try {
                return SingleInstance.claim(home, List.of("s3://b/late"), PATIENCE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(400);
        assertThat(second).isNotDone();

        starting.serve(received::add);

        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(Claim.HandedOver.class);
        assertThat(received).containsExactly(List.of("s3://b/late"));
    }

    @Test
    void anAppThatNeverAnswersIsGivenUpOnWithAMessage() throws Exception {
        first(); // holds the lock and never listens

        Claim claim = SingleInstance.claim(home, List.of("s3://b/k"), Duration.ofMillis(500));

        assertThat(claim).isInstanceOf(Claim.NoAnswer.class);
        assertThat(((Claim.NoAnswer) claim).message()).contains("already running").contains(home.toString());
    }

    @Test
    void whenTheAppEndsItsAddressIsGoneAndTheNextStartIsTheApp() throws Exception {
        InstanceServer server = serving();
        int port = server.port();

        server.close();

        assertThat(addressFile()).doesNotExist();
        assertThat(send(port, "{}\n")).isNull(); // nothing listens there any more
        serving();
    }

    /** The server's answer to {@code request}, or null when the connection failed or closed without one. */
    private static String send(int port, String request) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return Handover.readLine(new BufferedInputStream(s.getInputStream()));
        } catch (IOException e) {
            return null;
        }
    }
}
