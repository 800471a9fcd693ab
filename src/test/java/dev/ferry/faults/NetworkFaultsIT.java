package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.CliRunner;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FaultProxy.ConnectionStats;
import dev.ferry.testing.FaultProxy.Fate;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.Download;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.DownloadResult;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * Downloads from a real S3 server through a {@link FaultProxy} that resets connections mid-body, stalls them,
 * slows them and refuses them. Every run ends with exactly the object's bytes and nothing left behind.
 *
 * <p>The command line has no read-timeout option (it uses 30 s), so the stall and the slow-connection
 * scenarios run the engine with an {@link S3Store} whose read timeout is one second (a slow connection must
 * not be mistaken for a stalled one); resets and a dropped network run the real CLI in a child JVM.
 */
class NetworkFaultsIT {
    private static final long SEED = Long.getLong("ferry.faults.seed", 0x5EED_F00DL);
    private static final int MIB = 1 << 20;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private static Path classDir;
    private static final AtomicInteger RAN = new AtomicInteger();

    private S3ProxyServer s3;
    private FaultProxy proxy;
    private Path dir;
    private String bucket;

    @BeforeAll
    static void folder() {
        classDir = FaultArtifacts.newDir("NetworkFaultsIT");
    }

    @AfterAll
    static void scan() {
        FaultArtifacts.assertNoSecretsAfterClass(classDir, RAN.get());
    }

    @BeforeEach
    void setUp() throws IOException {
        s3 = S3ProxyServer.get();
        FaultArtifacts.secret("the secret key", s3.credentials().secretAccessKey());
        proxy = new FaultProxy(s3.endpoint(), SEED);
        dir = Files.createDirectories(classDir.resolve("t" + System.nanoTime()));
        bucket = s3.newBucket();
        System.out.println("NetworkFaultsIT seed " + SEED);
    }

    @AfterEach
    void tearDown() {
        RAN.incrementAndGet();
        FaultArtifacts.secretsSeenBy(proxy);
        proxy.close();
        FaultArtifacts.dropLargeFiles(dir);
    }

    // ------------------------------------------------------------------ CLI

    /**
     * Three answers in ten are cut by a connection reset somewhere in their first 2 MiB of body (inside a part,
     * or inside a run of parts that one GET streams). Every part is 5 MiB, so each first answer and each first
     * retry is long enough to be cut: with eight connections the 1st, 5th and 8th answers surely are.
     */
    @ParameterizedTest(name = "{0} connections, {1} MiB, round {2}")
    @MethodSource("resetCases")
    void resetsMidBodyOnAShareOfAnswersStillGiveTheExactBytes(int connections, int mib, int round) throws Exception {
        if (round > 1) {
            // another round cuts other answers at other offsets
            FaultArtifacts.secretsSeenBy(proxy);
            proxy.close();
            proxy = new FaultProxy(s3.endpoint(), SEED + 1000L * round);
        }
        byte[] content = TestData.bytes(mib * MIB, SEED + connections + 1000L * (round - 1));
        s3.put(bucket, "reset.bin", content);
        Path dest = dir.resolve("reset.bin");
        proxy.resetResponses(0.3, 64 << 10, 2L * MIB);

        CliRunner.Result r = cli().run("download", "s3://" + bucket + "/reset.bin", dest.toString(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", String.valueOf(connections),
                "--json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        long resets = proxy.count(Fate.RESET);
        long gets = proxy.requests().stream().filter(e -> e.method().equals("GET")).count();
        System.out.printf("%d connections: %d of %d GETs cut by a reset, %d part retries%n", connections, resets,
                gets, CliOutput.events(r, "PART_FAILED").size());
        assertThat(resets).as("resets that happened").isGreaterThanOrEqualTo(connections > 4 ? 3 : 1);
        assertThat(CliOutput.events(r, "PART_FAILED")).as("each reset during a GET is one part retry")
                .hasSize((int) resets)
                .allSatisfy(e -> assertThat(e.get("message").asText()).contains("retrying from byte"));
        // every byte Ferry read before a reset was kept: only what the reset destroyed in flight came again
        assertThat(CliOutput.result(r).get("fetched").asLong()).isEqualTo(content.length);
        assertNothingLeftBehind(dest);
    }

    /** Eight and three connections, once each; a soak run ({@code -Dferry.soak.rounds}) repeats them. */
    static Stream<Arguments> resetCases() {
        return IntStream.rangeClosed(1, Soak.rounds()).boxed()
                .flatMap(round -> Stream.of(Arguments.of(8, 40, round), Arguments.of(3, 30, round)));
    }

    /** The network drops every connection at once mid-transfer, and the first reconnects are refused. */
    @Test
    void aDroppedNetworkWhoseFirstReconnectsAreRefusedIsRiddenOut() throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 3, SEED + 7);
        s3.put(bucket, "drop.bin", content);
        Path dest = dir.resolve("drop.bin");
        proxy.throttle(8L * MIB);
        CliRunner cli = cli();
        CliRunner.Running run = cli.start("download", "s3://" + bucket + "/drop.bin", dest.toString(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "3", "--json");
        Await.until("a quarter of the object through", () -> bodyBytes() > content.length / 4);

        proxy.refuseNext(4);
        proxy.resetAll();
        proxy.throttle(0);
        CliRunner.Result r = run.await(Duration.ofSeconds(60));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(proxy.count(Fate.REFUSED)).isEqualTo(4);
        assertThat(proxy.count(Fate.RESET)).isGreaterThanOrEqualTo(1);
        assertThat(CliOutput.result(r).get("fetched").asLong()).isEqualTo(content.length);
        assertNothingLeftBehind(dest);
    }

    // ------------------------------------------------------------------ engine, short read timeout

    /**
     * Two connections stop sending mid-body for a minute. Each stalled part is given up after the read timeout
     * and fetched again, from the byte where it stopped, on another connection, long before the stall ends.
     */
    @Test
    void aStallLongerThanTheReadTimeoutIsRetriedFromTheByteWhereItStopped() throws Exception {
        byte[] content = TestData.bytes(6 * MIB + 99, SEED + 3);
        s3.put(bucket, "stall.bin", content);
        proxy.stallConnections(2, 300_000, Duration.ofSeconds(60));
        RecordingListener events = new RecordingListener();

        DownloadResult r = download("stall.bin", 1_000_000, 3, events);

        assertExact(r, content);
        List<ConnectionStats> stalled = proxy.connections().stream().filter(ConnectionStats::stalled).toList();
        assertThat(stalled).hasSize(2).allSatisfy(c -> assertThat(c.clientLeftWhileStalled())
                .as("Ferry gave up on the stalled connection before the stall ended").isTrue());
        List<TransferEvent> retries = events.events(Type.PART_FAILED);
        assertThat(retries).hasSize(2).allSatisfy(e -> {
            assertThat(e.message()).containsPattern("(?i)time(d )?out").contains("retrying from byte");
            // the bytes that came before the stall were kept
            long from = Long.parseLong(e.message().replaceAll(".*retrying from byte (\\d+).*", "$1"));
            assertThat(from).isEqualTo(e.rangeStart() + 300_000);
        });
        assertThat(r.fetched()).isEqualTo(content.length);
    }

    /** A link far slower than the parts, but never silent for a read timeout, is not mistaken for a stall. */
    @Test
    void aVerySlowLinkIsNotMistakenForAStall() throws Exception {
        byte[] content = TestData.bytes(300_000, SEED + 4);
        s3.put(bucket, "slow.bin", content);
        proxy.throttle(96 << 10);
        RecordingListener events = new RecordingListener();

        DownloadResult r = download("slow.bin", 100_000, 2, events);

        assertExact(r, content);
        assertThat(events.events(Type.PART_FAILED)).as(events.messages(Type.PART_FAILED)).isEmpty();
        assertThat(r.fetched()).isEqualTo(content.length);
    }

    /**
     * One of four connections crawls. Its run's parts that it has not started go to the other connections as
     * they run out of work; it finishes only the part it is in, and nothing fails.
     */
    @Test
    void theUnstartedPartsOfAVerySlowConnectionGoToTheOthers() throws Exception {
        int part = 128 << 10;
        byte[] content = TestData.bytes(32 * part, SEED + 5);
        s3.put(bucket, "crawl.bin", content);
        // no HEAD through the proxy, so the first connection it accepts carries a run of parts
        ObjectInfo info = s3.store().head(ObjectRef.of(bucket, "crawl.bin"), new CancelSignal());
        proxy.slowConnections(1, 64 << 10);
        RecordingListener events = new RecordingListener();

        DownloadResult r = download("crawl.bin", part, 4, events, info);

        assertExact(r, content);
        assertThat(events.events(Type.PART_FAILED)).as(events.messages(Type.PART_FAILED)).isEmpty();
        assertThat(events.events(Type.PART_SUCCEEDED)).hasSize(32);
        ConnectionStats slow = proxy.connections().get(0);
        System.out.printf("the slow connection carried %,d of %,d bytes%n", slow.bodyBytesDown(), content.length);
        assertThat(slow.bodyBytesDown()).as("the slow connection's share").isLessThanOrEqualTo(2L * part);
    }

    // ------------------------------------------------------------------ helpers

    private CliRunner cli() throws IOException {
        return new CliRunner(Files.createDirectories(dir.resolve("home"))).env(s3.cliEnv());
    }

    private long bodyBytes() {
        return proxy.connections().stream().mapToLong(ConnectionStats::bodyBytesDown).sum();
    }

    private DownloadResult download(String key, long partSize, int connections, RecordingListener events) {
        return download(key, partSize, connections, events, null);
    }

    private DownloadResult download(String key, long partSize, int connections, RecordingListener events,
                                    ObjectInfo known) {
        S3Config config = new S3Config(proxy.endpoint(), "us-east-1", s3.credentials(), true);
        try (S3Store store = new S3Store(config, HttpClients.create(connections, Duration.ofSeconds(5), READ_TIMEOUT),
                RetryPolicy.fast(4))) {
            DownloadRequest request = DownloadRequest.of(ObjectRef.of(bucket, key), dir.resolve(key))
                    .withPartSize(partSize).withConnections(connections).withCheckpoint(dir.resolve(key + ".cp.json"))
                    .withKnownInfo(known);
            DownloadResult r = new Download(store, request, RateLimiter.unlimited(), events, RetryPolicy.fast(4)).run();
            FaultArtifacts.writeLog(dir.resolve(key + ".events.log"), events.events(), r.state() + ": " + r.message(),
                    r.error());
            return r;
        }
    }

    private void assertExact(DownloadResult r, byte[] content) throws IOException {
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(r.destination())).isEqualTo(TestData.sha256(content));
        assertThat(DownloadRequest.tempFileFor(r.destination())).doesNotExist();
        assertThat(r.destination().resolveSibling(r.destination().getFileName() + ".cp.json")).doesNotExist();
    }

    private void assertNothingLeftBehind(Path dest) throws IOException {
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        Path checkpoints = dir.resolve("home/ferry-home/checkpoints");
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> s = Files.list(checkpoints)) {
                assertThat(s).as("checkpoint folder").isEmpty();
            }
        }
    }
}
