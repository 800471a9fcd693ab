package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.CliRunner;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.FaultProxy.ConnectionStats;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/**
 * What happens on this machine between and during runs of the command line: the destination folder removed
 * mid-download, the temp file cut short or altered between runs, the checkpoint cut short, garbled or from an
 * older format, and a second Ferry started on a transfer that is running. Every run against s3proxy goes
 * through a {@link FaultProxy}, which counts the body bytes each run fetched.
 */
class LocalFaultsIT {
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;
    private static Path classDir;
    private static final AtomicInteger RAN = new AtomicInteger();

    private S3ProxyServer s3;
    private FaultProxy proxy;
    private CliRunner cli;
    private Path dir;
    private String bucket;

    @BeforeAll
    static void folder() {
        classDir = FaultArtifacts.newDir("LocalFaultsIT");
    }

    @AfterAll
    static void scan() {
        FaultArtifacts.assertNoSecretsAfterClass(classDir, 2 * RAN.get());
    }

    @BeforeEach
    void setUp() throws IOException {
        s3 = S3ProxyServer.get();
        FaultArtifacts.secret("the secret key", s3.credentials().secretAccessKey());
        proxy = new FaultProxy(s3.endpoint(), 11);
        dir = Files.createDirectories(classDir.resolve("t" + System.nanoTime()));
        cli = new CliRunner(Files.createDirectories(dir.resolve("home"))).env(s3.cliEnv());
        bucket = s3.newBucket();
    }

    @AfterEach
    void tearDown() {
        RAN.incrementAndGet();
        FaultArtifacts.secretsSeenBy(proxy);
        proxy.close();
        FaultArtifacts.dropLargeFiles(dir);
    }

    private String[] download(String key, Path dest, String... more) {
        return CliRunner.concat(new String[]{"download", "s3://" + bucket + "/" + key, dest.toString(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "2", "--json"}, more);
    }

    /** Starts a slowed download and pauses it (SIGTERM) once its checkpoint records more than {@code bytes}. */
    private DownloadCheckpoint pausedDownload(String[] args, long bytes) throws Exception {
        CliRunner.Running run = cli.start(CliRunner.concat(args, "--limit", "8MiB/s"));
        CliOutput.awaitCheckpointBeyond(cli, run, bytes);
        run.terminate();
        CliRunner.Result paused = run.await(Duration.ofSeconds(30));
        assertThat(paused.exitCode()).as("paused: %s", paused.stderr()).isEqualTo(3);
        return CheckpointFiles.read(onlyCheckpoint(), DownloadCheckpoint.class);
    }

    // ------------------------------------------------------------------ destination folder removed

    /**
     * The folder the file is downloaded into is deleted while the download runs. A person who deletes it wants
     * it gone, or made a mistake; either way Ferry must not bring it back: the download fails, saying which
     * folder went missing, leaves no file anywhere, and runs again exactly once the folder is there again.
     */
    @Test
    void aDestinationFolderRemovedMidDownloadFailsClearlyAndIsNotRecreated() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 7, 1);
        s3.put(bucket, "big.bin", content);
        Path folder = Files.createDirectories(dir.resolve("out"));
        Path dest = folder.resolve("big.bin");
        String[] args = download("big.bin", dest);
        CliRunner.Running run = cli.start(CliRunner.concat(args, "--limit", "8MiB/s"));
        CliOutput.awaitCheckpointBeyond(cli, run, MIB);

        deleteTree(folder);
        CliRunner.Result r = run.await(Duration.ofSeconds(60));

        assertThat(r.exitCode()).as("stdout %s, stderr %s", r.stdout(), r.stderr()).isIn(1, 2);
        JsonNode result = CliOutput.result(r);
        assertThat(result.get("state").asText()).isEqualTo("FAILED");
        assertThat(result.get("message").asText()).contains(folder.toString());
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(folder).as("the removed folder is not recreated").doesNotExist();

        Files.createDirectories(folder);
        CliRunner.Result again = cli.run(args);

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(filesIn(folder)).containsExactly("big.bin");
        assertThat(cli.checkpoints()).isEmpty();
    }

    /**
     * The same removal, noticed when it happens: a download whose temp file vanished under it has nothing left
     * to write to, so it stops at its next checkpoint, saying the folder is gone, instead of fetching the rest of
     * the object into a file no folder holds any more.
     */
    @Test
    void aDestinationFolderRemovedMidDownloadStopsTheDownloadPromptly() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 7, 2);
        s3.put(bucket, "big.bin", content);
        Path folder = Files.createDirectories(dir.resolve("out"));
        CliRunner.Running run = cli.start(CliRunner.concat(download("big.bin", folder.resolve("big.bin")),
                "--limit", "4MiB/s"));
        CliOutput.awaitCheckpointBeyond(cli, run, MIB);
        long before = bodyBytes();

        deleteTree(folder);
        CliRunner.Result r = run.await(Duration.ofSeconds(60));

        assertThat(r.exitCode()).isIn(1, 2);
        assertThat(CliOutput.result(r).get("message").asText()).contains("folder").contains(folder.toString())
                .contains("no longer exists");
        assertThat(bodyBytes() - before).as("bytes fetched after the folder was removed")
                .isLessThan(content.length / 2);
    }

    // ------------------------------------------------------------------ temp file cut short or altered

    /**
     * A temp file cut short between runs costs exactly the bytes it lost, counted on the wire. The second run
     * uses one connection: with two, the one that finishes first takes over the other's next part, whose bytes
     * the other's GET already asked for, so the wire would carry that part twice.
     */
    @Test
    void aTempFileCutShortBetweenRunsCostsOnlyTheBytesItLost() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 123, 3);
        s3.put(bucket, "cut.bin", content);
        Path dest = dir.resolve("cut.bin");
        String[] args = download("cut.bin", dest);
        DownloadCheckpoint cp = pausedDownload(args, 12 * MIB);
        long cutAt = 7 * MIB + 1000;
        try (RandomAccessFile temp = new RandomAccessFile(tempOf(dest).toFile(), "rw")) {
            temp.setLength(cutAt);
        }
        long kept = cp.parts().stream().mapToLong(p -> Math.min(p.completed(), Math.max(0, cutAt - p.start())))
                .sum();
        assertThat(kept).as("the cut took recorded bytes away").isLessThan(cp.completedBytes());
        int connectionsBefore = proxy.connections().size();

        CliRunner.Result r = cli.run(oneConnection(args));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(CliOutput.events(r, "RESUMED")).anySatisfy(e -> assertThat(e.path("message").asText())
                .contains("fetched again from where the file ends"));
        JsonNode result = CliOutput.result(r);
        assertThat(result.get("reused").asLong()).isEqualTo(kept);
        assertThat(bodyBytesSince(connectionsBefore)).as("body bytes fetched by the second run")
                .isEqualTo(content.length - kept);
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(filesIn(dir)).doesNotContain("cut.bin.ferry-partial");
    }

    /**
     * A temp file altered inside a finished part (same length) of an object uploaded in parts, which has no
     * whole-object checksum: its ETag is not an MD5 of the bytes, so only the checksum Ferry keeps per part can tell
     * the altered bytes from the object's. The part is fetched again and the file ends exact.
     */
    @Test
    void aTempFileAlteredBetweenRunsOfAnObjectUploadedInPartsNeverBecomesAWrongFile() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 123, 12);
        putInParts("parts.bin", content);
        Path dest = dir.resolve("parts.bin");
        String[] args = download("parts.bin", dest);
        DownloadCheckpoint cp = pausedDownload(args, 12 * MIB);
        assertThat(cp.parts().get(0).isDone()).isTrue();
        assertThat(cp.object().etag()).as("a multipart ETag").contains("-");
        alter(tempOf(dest), MIB);

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).as("the file Ferry says it downloaded").isEqualTo(TestData.sha256(content));
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(filesIn(dir)).doesNotContain("parts.bin.ferry-partial");
    }

    /** Puts {@code content} as an object made of 5 MiB parts (its ETag ends in -N), copied from a plain one. */
    private void putInParts(String key, byte[] content) throws IOException {
        s3.put(bucket, key + ".whole", content);
        S3Store store = s3.store();
        ObjectRef source = ObjectRef.of(bucket, key + ".whole");
        ObjectRef target = ObjectRef.of(bucket, key);
        CancelSignal never = new CancelSignal();
        String id = store.createMultipartUpload(target, Map.of(), never);
        List<UploadedPart> parts = new ArrayList<>();
        for (long start = 0; start < content.length; start += PART) {
            long end = Math.min(start + PART, content.length) - 1;
            int n = parts.size() + 1;
            parts.add(new UploadedPart(n, store.uploadPartCopy(target, id, n, source, start, end, null, never),
                    end - start + 1));
        }
        store.completeMultipartUpload(target, id, parts, never);
    }

    /** The same alteration costs only the part it hit (the promise: a per-part checksum finds it). */
    @Test
    void aTempFileAlteredBetweenRunsCostsOnlyThePartItHit() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 123, 5);
        s3.put(bucket, "alt.bin", content);
        Path dest = dir.resolve("alt.bin");
        String[] args = download("alt.bin", dest);
        DownloadCheckpoint cp = pausedDownload(args, 12 * MIB);
        alter(tempOf(dest), MIB);
        int connectionsBefore = proxy.connections().size();

        CliRunner.Result r = cli.run(oneConnection(args));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(bodyBytesSince(connectionsBefore)).isEqualTo(content.length - cp.completedBytes() + PART);
    }

    // ------------------------------------------------------------------ damaged checkpoints

    /** A download's checkpoint cut short, garbled or of an older format is explained and discarded, never a crash. */
    @ParameterizedTest
    @ValueSource(strings = {"cut", "garbage", "older"})
    void aDamagedDownloadCheckpointIsExplainedAndTheDownloadStartsOver(String damage) throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 9, 6);
        s3.put(bucket, "d.bin", content);
        Path dest = dir.resolve("d.bin");
        String[] args = download("d.bin", dest);
        pausedDownload(args, 6 * MIB);
        damage(onlyCheckpoint(), damage);

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(CliOutput.events(r, "CHECKPOINT_DISCARDED")).singleElement().satisfies(e ->
                assertThat(e.path("message").asText()).contains(explanationOf(damage)).contains("starting over"));
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(CliOutput.result(r).get("reused").asLong()).isZero();
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(filesIn(dir)).doesNotContain("d.bin.ferry-partial");
    }

    /**
     * A copy's checkpoint cut short or of an older format still names its upload, which is aborted when the
     * checkpoint is discarded; a garbled one names nothing, and the message says where that upload is left.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cut", "garbage", "older"})
    void aDamagedCopyCheckpointIsExplainedAndItsUploadAbortedWhereItCanBeKnown(String damage) throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 9, 7);
        s3.put(bucket, "src.bin", content);
        String to = s3.newBucket();
        String[] args = {"copy", "s3://" + bucket + "/src.bin", "s3://" + to + "/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "1", "--json"};
        proxy.latency(Duration.ofMillis(300));
        CliRunner.Running run = cli.start(args);
        Await.until("a part recorded", Duration.ofSeconds(60), () -> !run.process().isAlive()
                || recordedParts() > 0);
        run.terminate();
        assertThat(run.await(Duration.ofSeconds(30)).exitCode()).isEqualTo(3);
        proxy.clearFaults();
        String first = CheckpointFiles.read(onlyCheckpoint(), CopyCheckpoint.class).uploadId();
        damage(onlyCheckpoint(), damage);

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(CliOutput.events(r, "CHECKPOINT_DISCARDED")).singleElement().satisfies(e ->
                assertThat(e.path("message").asText()).contains(explanationOf(damage)).contains("starting over"));
        assertThat(CliOutput.sha256(s3.store(), to, "dst.bin", content.length)).isEqualTo(TestData.sha256(content));
        assertThat(cli.checkpoints()).isEmpty();
        List<MultipartUpload> left = uploads(to);
        if (damage.equals("garbage")) {
            assertThat(CliOutput.events(r, "CHECKPOINT_DISCARDED").get(0).path("message").asText())
                    .contains("left to the bucket's lifecycle rules");
            assertThat(left).extracting(MultipartUpload::uploadId).containsExactly(first);
            s3.store().abortMultipartUpload(ObjectRef.of(to, "dst.bin"), first, new CancelSignal());
        } else {
            assertThat(CliOutput.events(r, "UPLOAD_ABORTED")).anySatisfy(e ->
                    assertThat(e.path("message").asText()).startsWith(first + ":"));
            assertThat(left).as("uploads left").isEmpty();
        }
    }

    private static String explanationOf(String damage) {
        return damage.equals("older") ? "format version 0" : "unreadable or corrupt";
    }

    private static void damage(Path checkpoint, String how) throws IOException {
        String json = Files.readString(checkpoint);
        switch (how) {
            case "cut" -> Files.writeString(checkpoint, json.substring(0, json.indexOf("\"parts\"")));
            case "garbage" -> Files.write(checkpoint, TestData.bytes(700, 99));
            case "older" -> Files.writeString(checkpoint, json.replaceFirst("\"formatVersion\"\\s*:\\s*1",
                    "\"formatVersion\" : 0"));
            default -> throw new IllegalArgumentException(how);
        }
        assertThat(Files.readString(checkpoint, StandardCharsets.ISO_8859_1)).isNotEqualTo(json);
    }

    // ------------------------------------------------------------------ two Ferrys on one transfer

    /**
     * The download's lock is an OS lock on its temp file. On Linux such a lock is a POSIX record lock, which the
     * process loses as soon as it closes any descriptor of that file, and TempGeneration opens the temp file by
     * name to read and write its user attribute right after the lock is taken.
     */
    @Test
    void aSecondFerryOnARunningDownloadRefusesAndTheFirstFinishesExactly() throws Exception {
        byte[] content = TestData.bytes(20 * MIB + 5, 8);
        s3.put(bucket, "two.bin", content);
        Path dest = dir.resolve("two.bin");
        String[] args = download("two.bin", dest);
        CliRunner.Running first = cli.start(CliRunner.concat(args, "--limit", "6MiB/s"));
        CliOutput.awaitCheckpointBeyond(cli, first, MIB);

        CliRunner.Result second = cli.run(args);

        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isEqualTo(1);
        JsonNode refused = CliOutput.result(second);
        assertThat(refused.get("failure").asText()).isEqualTo("BUSY");
        assertThat(refused.get("message").asText()).contains("another download is already writing to");
        assertThat(second.stderr()).doesNotContain("\tat ");
        assertThat(first.process().isAlive()).as("the first is still running").isTrue();
        CliRunner.Result done = first.await(Duration.ofSeconds(60));
        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(CliOutput.result(done).get("fetched").asLong()).isEqualTo(content.length);
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(filesIn(dir)).contains("two.bin").doesNotContain("two.bin.ferry-partial");
    }

    @Test
    void aSecondFerryOnARunningCopyRefusesAndTheFirstFinishesExactly() throws Exception {
        byte[] content = TestData.bytes(21 * MIB + 5, 9);
        s3.put(bucket, "src.bin", content);
        String to = s3.newBucket();
        String[] args = {"copy", "s3://" + bucket + "/src.bin", "s3://" + to + "/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "1", "--json"};
        proxy.latency(Duration.ofMillis(400));
        CliRunner.Running first = cli.start(args);
        Await.until("the first copy records its upload", Duration.ofSeconds(60), () -> !first.process().isAlive()
                || recordedUpload() != null);

        CliRunner.Result second = cli.run(args);
        CliRunner.Result cancel = cli.run(CliRunner.concat(args, "--cancel"));

        assertThat(second.exitCode()).as(second.stdout() + second.stderr()).isEqualTo(1);
        JsonNode refused = CliOutput.result(second);
        assertThat(refused.get("failure").asText()).isEqualTo("BUSY");
        assertThat(refused.get("message").asText()).contains("another Ferry is running this copy");
        assertThat(cancel.exitCode()).as("--cancel meanwhile").isEqualTo(2);
        assertThat(cancel.stderr()).contains("another Ferry is running this copy").doesNotContain("\tat ");
        assertThat(first.process().isAlive()).as("the first is still running").isTrue();
        CliRunner.Result done = first.await(Duration.ofSeconds(60));
        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(CliOutput.sha256(s3.store(), to, "dst.bin", content.length)).isEqualTo(TestData.sha256(content));
        assertThat(uploads(to)).isEmpty();
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints"))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** The same command on one connection (the checkpoint is the same: connections are not part of its name). */
    private static String[] oneConnection(String[] args) {
        String[] one = args.clone();
        for (int i = 0; i < one.length - 1; i++) {
            if (one[i].equals("--connections")) {
                one[i + 1] = "1";
            }
        }
        return one;
    }

    private Path onlyCheckpoint() throws IOException {
        List<Path> cps = cli.checkpoints();
        assertThat(cps).hasSize(1);
        return cps.get(0);
    }

    private CopyCheckpoint copyCheckpointNow() {
        try {
            List<Path> cps = cli.checkpoints();
            return cps.size() == 1 ? CheckpointFiles.read(cps.get(0), CopyCheckpoint.class) : null;
        } catch (IOException | RuntimeException raceWithRename) {
            return null;
        }
    }

    private String recordedUpload() {
        CopyCheckpoint cp = copyCheckpointNow();
        return cp == null ? null : cp.uploadId();
    }

    private long recordedParts() {
        CopyCheckpoint cp = copyCheckpointNow();
        return cp == null ? 0 : cp.parts().stream().filter(CopyCheckpoint.Part::isDone).count();
    }

    private static Path tempOf(Path dest) {
        return dest.resolveSibling(dest.getFileName() + ".ferry-partial");
    }

    /** Overwrites 4 KiB at {@code offset} with other bytes, keeping the length. */
    private static void alter(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] was = new byte[4096];
            f.seek(offset);
            f.readFully(was);
            for (int i = 0; i < was.length; i++) {
                was[i] = (byte) ~was[i];
            }
            f.seek(offset);
            f.write(was);
        }
    }

    private long bodyBytes() {
        return proxy.connections().stream().mapToLong(ConnectionStats::bodyBytesDown).sum();
    }

    /**
     * Body bytes sent on the connections accepted since the first {@code connections}: one run's own, without
     * what the proxy still pushed toward an earlier run's closed sockets.
     */
    private long bodyBytesSince(int connections) {
        List<ConnectionStats> all = proxy.connections();
        return all.subList(connections, all.size()).stream().mapToLong(ConnectionStats::bodyBytesDown).sum();
    }

    private List<MultipartUpload> uploads(String b) throws IOException {
        return s3.store().listMultipartUploads(b, "", new CancelSignal());
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
