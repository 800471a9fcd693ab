package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.ObjectRef;
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
 * The CLI killed with SIGKILL at random moments, 20 times in a row on one transfer, then run to the end:
 * the result is exact, nothing is left behind, and each interruption costs at most about half a second
 * of transfer. Kill moments come from a seeded random (printed; {@code -Dferry.faults.seed=N} replays one).
 *
 * <p>All traffic goes through a {@link FaultProxy}, which counts the bytes. Its send buffer toward the CLI
 * is kept small, so that what it counts as sent has reached the CLI's socket instead of waiting in the
 * proxy's own kernel buffer (megabytes on loopback, which a kill of the client would otherwise add to
 * every interruption's cost although they never left the proxy).
 *
 * <p>Moments the loops hit only by chance have deterministic tests of their own at the end of this class: a
 * checkpoint write cut short, a kill before a created upload is recorded, and one after the server completed the
 * copy but before the CLI heard (the copy loop aims its last kill there, but an earlier kill may already have
 * landed after Complete).
 */
class CrashLoopIT {
    private static final long SEED = Long.getLong("ferry.faults.seed", 0x5EED_F00DL);
    /** Kills in a row: 20, times {@code -Dferry.soak.rounds} in a soak run. */
    private static final int KILLS = 20 * Soak.rounds();
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;
    private static final int CONNECTIONS = 2;
    /** A Java process killed by signal 9 exits with 128 + 9. */
    private static final int SIGKILL_EXIT = 137;
    /** Every answer held back this long during the copy loop: long enough for kills to land between requests. */
    private static final Duration COPY_LATENCY = Duration.ofMillis(150);

    private static Path classDir;
    private static final AtomicInteger RAN = new AtomicInteger();

    private S3ProxyServer s3;
    private FaultProxy proxy;
    private CliRunner cli;
    private Random random;
    private Path dir;

    @BeforeAll
    static void folder() {
        classDir = FaultArtifacts.newDir("CrashLoopIT");
    }

    @AfterAll
    static void scan() {
        FaultArtifacts.assertNoSecretsAfterClass(classDir, 2 * RAN.get());
    }

    @BeforeEach
    void setUp() throws IOException {
        s3 = S3ProxyServer.get();
        FaultArtifacts.secret("the secret key", s3.credentials().secretAccessKey());
        proxy = new FaultProxy(s3.endpoint(), SEED).sendBuffer(64 << 10);
        dir = Files.createDirectories(classDir.resolve("t" + System.nanoTime()));
        cli = new CliRunner(Files.createDirectories(dir.resolve("home"))).env(s3.cliEnv());
        random = new Random(SEED);
        System.out.println("CrashLoopIT seed " + SEED + " (replay with -Dferry.faults.seed=" + SEED + ")");
    }

    @AfterEach
    void tearDown() {
        RAN.incrementAndGet();
        FaultArtifacts.secretsSeenBy(proxy);
        proxy.close();
        FaultArtifacts.dropLargeFiles(dir);
    }

    // ------------------------------------------------------------------ download

    @Test
    void aDownloadKilledTwentyTimesFinishesExactAndEachKillCostsAtMostHalfASecond() throws Exception {
        // more kills need a larger object for the last of them to still land before the end
        int size = 64 * MIB * Soak.rounds() + 12_345;
        byte[] content = TestData.bytes(size, SEED);
        String bucket = s3.newBucket();
        s3.put(bucket, "crash/big.bin", content);
        Path dest = Files.createDirectories(dir.resolve("out")).resolve("big.bin");
        String[] args = {"download", "s3://" + bucket + "/crash/big.bin", dest.toString(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", String.valueOf(CONNECTIONS),
                "--limit", "8MiB/s", "--json"};

        List<String> table = new ArrayList<>();
        long recorded = 0;
        long worstLoss = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long bodyBefore = bodyBytes();
            CliRunner.Running run = cli.start(args);
            String moment = killAtARandomMoment(run, () -> bodyBytes() - bodyBefore);
            long spent = bodyBytes() - bodyBefore;
            long now = checkpointedBytes();
            assertThat(now).as("a checkpoint never goes back (kill %d)", kill).isGreaterThanOrEqualTo(recorded);
            table.add(String.format("kill %2d %-30s body bytes %,11d  newly recorded %,11d  lost %,11d", kill,
                    moment, spent, now - recorded, spent - (now - recorded)));
            worstLoss = Math.max(worstLoss, spent - (now - recorded));
            recorded = now;
        }
        table.forEach(System.out::println);
        assertThat(dest).doesNotExist();
        assertThat(recorded).as("the kills came before the end").isLessThan(size);

        int connectionsBefore = proxy.connections().size();
        CliRunner.Result done = cli.run(args);

        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        JsonNode result = CliOutput.result(done);
        assertThat(result.get("reused").asLong()).as("resumed from the last checkpoint").isEqualTo(recorded);
        assertThat(result.get("fetched").asLong()).isEqualTo(size - recorded);
        assertThat(cli.checkpoints()).as("checkpoints").isEmpty();
        assertThat(filesBeside(dest)).as("temp files beside the destination").containsExactly("big.bin");
        reportCheckpointTempFiles();

        double rate = measuredRate(connectionsBefore);
        long total = bodyBytes();
        long allowed = size + (long) (KILLS * 0.5 * rate) + CONNECTIONS * PART;
        System.out.printf("download: %,d body bytes through the proxy for a %,d-byte object; measured rate %,.0f B/s;"
                + " allowed %,d (size + %d kills x 0.5 s + %d connections x part size)%n", total, size, rate, allowed,
                KILLS, CONNECTIONS);
        System.out.printf("download: the costliest kill lost %,d bytes, %.2f s at the measured rate%n", worstLoss,
                worstLoss / rate);
        assertThat(total).isLessThanOrEqualTo(allowed);
    }

    /** Kills a quarter of the runs anywhere in their first second, the rest within a second after bytes flow. */
    private String killAtARandomMoment(CliRunner.Running run, LongSupplier progress) throws Exception {
        long t0 = System.nanoTime();
        int ms = random.nextInt(1000);
        String how;
        if (random.nextInt(4) == 0) {
            Thread.sleep(ms);
            how = "at " + ms + " ms after start";
        } else {
            Await.until("bytes to flow", Duration.ofSeconds(60), () -> progress.getAsLong() > 0
                    || !run.process().isAlive());
            long flowing = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(ms);
            how = ms + " ms after flow (at " + flowing + ")";
        }
        kill(run, how);
        return how;
    }

    // ------------------------------------------------------------------ copy

    /**
     * Kills land in every phase of a copy: start-up, after the HEAD, after the upload is created or listed,
     * between part copies, and (the last one) once the server has completed the upload but before its answer
     * reaches the CLI. Part copies are never slowed, only the answers.
     */
    @Test
    void aCopyKilledTwentyTimesFinishesExactWithNoUploadLeft() throws Exception {
        int size = 60 * MIB + 999;
        byte[] content = TestData.bytes(size, SEED + 1);
        String from = s3.newBucket();
        String to = s3.newBucket();
        s3.put(from, "crash/src.bin", content);
        ObjectRef dst = ObjectRef.of(to, "copied/dst.bin");
        proxy.delayAnswers(FaultCalls::isComplete, Duration.ofSeconds(30)).latency(COPY_LATENCY);
        String[] args = {"copy", "s3://" + from + "/crash/src.bin", "s3://" + to + "/copied/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", String.valueOf(CONNECTIONS),
                "--json"};
        int parts = (int) ((size + PART - 1) / PART);

        List<String> table = new ArrayList<>();
        Set<String> recordedUploads = new HashSet<>();
        int made = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            if (exists(dst)) {
                // a kill landed after Complete took effect: every later run finds the copy done and ends at once,
                // with nothing left to interrupt
                table.add(String.format("kill %2d not made: the copy completed on the server before it", kill));
                break;
            }
            int sent = proxy.requests().size();
            int answered = proxy.exchanges().size();
            boolean partsMayMove = parts - partsOnServer(dst) > 3;
            CliRunner.Running run = cli.start(args);
            String moment = kill == KILLS ? killOnceCompletedOnServer(run, sent, dst)
                    : killInARandomPhase(run, answered, partsMayMove);
            made++;
            CopyCheckpoint cp = copyCheckpoint();
            if (cp != null && cp.uploadId() != null) {
                recordedUploads.add(cp.uploadId());
            }
            table.add(String.format("kill %2d %-38s parts in checkpoint %-5s on server %2d, uploads open %d", kill,
                    moment, cp == null ? "-" : cp.parts().stream().filter(CopyCheckpoint.Part::isDone).count() + "/"
                            + cp.parts().size(), partsOnServer(dst), uploads(to).size()));
        }
        table.forEach(System.out::println);
        // a random kill may land after Complete took effect, which ends the loop early; most of the kills must be made
        assertThat(made).as("kills made before the copy completed").isGreaterThanOrEqualTo(KILLS / 2);

        proxy.clearFaults();
        CliRunner.Result done = cli.run(args);

        CliOutput.lines(done).stream().filter(n -> n.has("event") && !n.has("part"))
                .forEach(n -> System.out.println("final run: " + n.get("event").asText() + " " + n.path("message")));
        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(CliOutput.result(done).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(CliOutput.sha256(s3.store(), to, "copied/dst.bin", size)).isEqualTo(TestData.sha256(content));
        assertThat(cli.checkpoints()).as("checkpoints").isEmpty();
        reportCheckpointTempFiles();
        System.out.println("uploads recorded by a checkpoint during the kills: " + recordedUploads.size());
        assertThat(uploads(to)).as("multipart uploads left after the copy completed").isEmpty();
    }

    /** A random phase of a copy run (one that copies no part when {@code partsMayMove} is false), then a kill. */
    private String killInARandomPhase(CliRunner.Running run, int answeredBefore, boolean partsMayMove)
            throws Exception {
        int phase = random.nextInt(partsMayMove ? 4 : 2);
        int ms = random.nextInt(phase == 0 ? 900 : (int) COPY_LATENCY.toMillis());
        String how = switch (phase) {
            case 0 -> "at " + ms + " ms after start";
            case 1 -> awaitAnswer(run, answeredBefore, "HEAD", "") + ms + " ms after HEAD";
            case 2 -> awaitAnswer(run, answeredBefore, "", "upload") + ms + " ms after create/list";
            default -> awaitAnswer(run, answeredBefore, "PUT", "partNumber=") + ms + " ms after a part";
        };
        Thread.sleep(ms);
        kill(run, how);
        return how;
    }

    /** Waits until CompleteMultipartUpload has made the object (its answer is held back), then kills. */
    private String killOnceCompletedOnServer(CliRunner.Running run, int sentBefore, ObjectRef dst) throws Exception {
        Await.until("CompleteMultipartUpload sent", Duration.ofSeconds(60), () -> !run.process().isAlive()
                || proxy.requests().stream().skip(sentBefore).anyMatch(e -> FaultCalls.isComplete(e.requestLine())));
        Await.until("the copy completed on the server", Duration.ofSeconds(20), () -> exists(dst));
        String how = "completed on the server, answer held";
        kill(run, how);
        return how;
    }

    /** Waits for an answer in this run to a request with {@code method} (or any) whose target has {@code query}. */
    private String awaitAnswer(CliRunner.Running run, int answeredBefore, String method, String query)
            throws InterruptedException {
        Await.until(method + " " + query, Duration.ofSeconds(60), () -> !run.process().isAlive()
                || proxy.exchanges().stream().skip(answeredBefore).anyMatch(e -> e.status() > 0
                && (method.isEmpty() || e.method().equals(method)) && e.target().contains(query)));
        return "";
    }

    // ------------------------------------------------------------------ rare moments, deterministically

    /**
     * A kill while {@code CheckpointFiles.writeAtomically} writes leaves its {@code <checkpoint>.tmp-<hex>}
     * file (the crash loop hits this one kill in ten or twenty). The state is planted here exactly as such a
     * kill leaves it: a half-written temp file beside the checkpoint. Once the download completes, nothing of
     * it may remain in FERRY_HOME/checkpoints ({@code ferry status} lists only the checkpoints themselves, so
     * nobody would see it there).
     */
    @Test
    void aCheckpointWriteCutShortByAKillLeavesNoTempFileBehind() throws Exception {
        byte[] content = TestData.bytes(12 * MIB + 5, SEED + 2);
        String bucket = s3.newBucket();
        s3.put(bucket, "cut.bin", content);
        Path dest = dir.resolve("cut.bin");
        String[] args = {"download", "s3://" + bucket + "/cut.bin", dest.toString(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "2", "--json"};
        CliRunner.Running run = cli.start(CliRunner.concat(args, "--limit", "4MiB/s"));
        CliOutput.awaitCheckpointBeyond(cli, run, MIB);
        kill(run, "after the first checkpoint");
        Path checkpoint = cli.checkpoints().get(0);
        String json = Files.readString(checkpoint);
        Files.writeString(checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp-5eedf00d5eedf00d"),
                json.substring(0, json.length() / 2));

        CliRunner.Result done = cli.run(args);

        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints")))
                .as("FERRY_HOME/checkpoints after the download completed").isEmpty();
    }

    /**
     * A kill after the server created the copy's multipart upload but before the CLI heard its id: no
     * checkpoint can name that upload. The checkpoint written before CreateMultipartUpload says when the
     * creation began, and the next run finds the upload by key and time and aborts it before starting its own.
     */
    @Test
    void aKillBeforeTheUploadIsRecordedLeavesNoUploadBehind() throws Exception {
        byte[] content = TestData.bytes(11 * MIB, SEED + 3);
        String from = s3.newBucket();
        String to = s3.newBucket();
        s3.put(from, "src.bin", content);
        String[] args = {"copy", "s3://" + from + "/src.bin", "s3://" + to + "/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--json"};
        proxy.delayAnswers(FaultCalls::isCreateUpload, Duration.ofSeconds(30));
        CliRunner.Running run = cli.start(args);
        Await.until("the upload exists on the server", () -> !uploads(to).isEmpty());
        String orphan = uploads(to).get(0).uploadId();
        kill(run, "before CreateMultipartUpload's answer arrived");
        CopyCheckpoint pending = copyCheckpoint();
        assertThat(pending).as("the checkpoint written before the upload was created").isNotNull();
        assertThat(pending.uploadId()).as("no checkpoint could name the upload").isNull();
        assertThat(pending.unrecordedUploadsSince()).isNotNull();
        proxy.clearFaults();

        CliRunner.Result done = cli.run(args);

        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(CliOutput.events(done, "UPLOAD_ABORTED")).as("the unrecorded upload was found and aborted")
                .anySatisfy(e -> assertThat(e.path("message").asText()).startsWith(orphan + ":"));
        assertThat(CliOutput.sha256(s3.store(), to, "dst.bin", content.length)).isEqualTo(TestData.sha256(content));
        assertThat(uploads(to)).as("multipart uploads left after the copy completed").isEmpty();
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints"))).as("checkpoint folder").isEmpty();
    }

    /** The same kill, then {@code --cancel}: the upload no checkpoint named is aborted too. */
    @Test
    void aCancelAfterAKillBeforeTheUploadIsRecordedAbortsThatUpload() throws Exception {
        String from = s3.newBucket();
        String to = s3.newBucket();
        s3.put(from, "src.bin", TestData.bytes(11 * MIB, SEED + 4));
        String[] args = {"copy", "s3://" + from + "/src.bin", "s3://" + to + "/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB"};
        proxy.delayAnswers(FaultCalls::isCreateUpload, Duration.ofSeconds(30));
        CliRunner.Running run = cli.start(args);
        Await.until("the upload exists on the server", () -> !uploads(to).isEmpty());
        kill(run, "before CreateMultipartUpload's answer arrived");
        proxy.clearFaults();

        CliRunner.Result cancelled = cli.run(CliRunner.concat(args, "--cancel"));

        assertThat(cancelled.exitCode()).as(cancelled.stderr()).isZero();
        assertThat(cancelled.stdout()).contains("aborted the upload and deleted the checkpoint");
        assertThat(uploads(to)).as("multipart uploads left after --cancel").isEmpty();
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints"))).as("checkpoint folder").isEmpty();
    }

    /**
     * A kill after CompleteMultipartUpload made the object but before the CLI heard (so before it deleted its
     * checkpoint): the next run finds the checkpoint's upload gone and the destination already the copy, proved
     * by its size and the multipart ETag of the recorded parts, and copies nothing again. The checkpoint records
     * every part when a resumed run found them all on the server, which is how this test gets there: a first run
     * killed while its last part's answer is held back (the server copied it), a second killed once its Complete
     * took effect.
     */
    @Test
    void aKillAfterCompleteBeforeTheCheckpointIsDeletedCopiesNothingAgain() throws Exception {
        byte[] content = TestData.bytes(11 * MIB + 3, SEED + 5);
        String to = s3.newBucket();
        ObjectRef dst = ObjectRef.of(to, "dst.bin");
        String[] args = completedButNotForgotten(content, dst);
        int sent = proxy.requests().size();

        CliRunner.Result done = cli.run(args);

        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(CliOutput.events(done, "VERIFIED")).anySatisfy(e -> assertThat(e.path("message").asText())
                .contains("already is the completed copy"));
        assertThat(CliOutput.result(done).get("copied").asLong()).as("bytes copied again").isZero();
        assertThat(proxy.requests().stream().skip(sent).filter(e -> e.target().contains("partNumber=")))
                .as("part copies in the last run").isEmpty();
        assertThat(CliOutput.sha256(s3.store(), to, dst.key(), content.length)).isEqualTo(TestData.sha256(content));
        assertThat(uploads(to)).isEmpty();
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints"))).as("checkpoint folder").isEmpty();
    }

    /**
     * A run killed while its Complete's answer is held back (the server completed the upload) leaves a checkpoint
     * that may miss the last parts (made to here, as the saver would have) and, beside it, its record of every
     * part: the next run knows the object there is its own result by the ETag those parts make (from that record
     * where the server no longer lists the upload, from the listed parts where it does, as s3proxy does).
     */
    @Test
    void aRunKilledAfterItsCompleteIsKnownByItsRecordOfEveryPart() throws Exception {
        byte[] content = TestData.bytes(11 * MIB + 5, SEED + 8);
        String from = s3.newBucket();
        s3.put(from, "src.bin", content);
        String to = s3.newBucket();
        ObjectRef dst = ObjectRef.of(to, "dst.bin");
        String[] args = {"copy", "s3://" + from + "/src.bin", "s3://" + to + "/dst.bin", "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "3", "--json"};
        proxy.delayAnswers(FaultCalls::isComplete, Duration.ofSeconds(20));
        CliRunner.Running first = cli.start(args);
        Await.until("the copy completed on the server", Duration.ofSeconds(60), () -> !first.process().isAlive()
                || exists(dst));
        kill(first, "completed on the server, answer held");
        proxy.clearFaults();
        Path checkpoint = cli.checkpoints().get(0);
        Path everyPart = checkpoint.resolveSibling(checkpoint.getFileName() + ".all-parts");
        assertThat(everyPart).as("the record of every part").exists();
        CopyCheckpoint cp = CheckpointFiles.read(checkpoint, CopyCheckpoint.class);
        List<CopyCheckpoint.Part> missing = new ArrayList<>(cp.parts());
        CopyCheckpoint.Part last = missing.remove(missing.size() - 1);
        missing.add(new CopyCheckpoint.Part(last.number(), last.start(), last.length(), null));
        CheckpointFiles.write(checkpoint, new CopyCheckpoint(cp.formatVersion(), cp.kind(), cp.source(), cp.object(),
                cp.destinationBucket(), cp.destinationKey(), cp.uploadId(), cp.unrecordedUploadsSince(),
                cp.partSize(), cp.updated(), missing));
        int sent = proxy.requests().size();

        CliRunner.Result done = cli.run(args);

        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(CliOutput.result(done).get("alreadyThere").asBoolean()).isTrue();
        // answered ones only: the killed run's unanswered exchanges are counted when their connections drop
        assertThat(proxy.requests().stream().skip(sent)
                .filter(e -> e.status() > 0 && e.target().contains("partNumber="))).as("part copies in the last run")
                .isEmpty();
        assertThat(CliOutput.sha256(s3.store(), to, dst.key(), content.length)).isEqualTo(TestData.sha256(content));
        assertThat(uploads(to)).isEmpty();
        assertThat(filesIn(cli.ferryHome().resolve("checkpoints"))).as("checkpoint folder").isEmpty();
    }

    /**
     * The same, but the destination replaced meanwhile by other bytes of the same size: that is another writer's
     * object, so the run refuses to copy over it (exit 2, untouched); with --overwrite it is copied again, exactly.
     */
    @Test
    void aDestinationReplacedAfterThatKillIsCopiedAgain() throws Exception {
        byte[] content = TestData.bytes(11 * MIB + 3, SEED + 6);
        String to = s3.newBucket();
        ObjectRef dst = ObjectRef.of(to, "dst.bin");
        String[] args = completedButNotForgotten(content, dst);
        byte[] theirs = TestData.bytes(content.length, SEED + 7);
        s3.put(to, dst.key(), theirs);

        CliRunner.Result refused = cli.run(args);

        assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(2);
        assertThat(CliOutput.result(refused).get("failure").asText()).isEqualTo("DESTINATION_EXISTS");
        assertThat(CliOutput.sha256(s3.store(), to, dst.key(), content.length)).isEqualTo(TestData.sha256(theirs));

        String[] replacing = Arrays.copyOf(args, args.length + 1);
        replacing[args.length] = "--overwrite";
        CliRunner.Result done = cli.run(replacing);

        assertThat(done.exitCode()).as(done.stdout() + done.stderr()).isZero();
        assertThat(CliOutput.result(done).get("copied").asLong()).isEqualTo(content.length);
        assertThat(CliOutput.sha256(s3.store(), to, dst.key(), content.length)).isEqualTo(TestData.sha256(content));
        assertThat(uploads(to)).isEmpty();
    }

    /** Two killed runs of a copy into {@code dst}: the second once its Complete took effect. Returns the command. */
    private String[] completedButNotForgotten(byte[] content, ObjectRef dst) throws Exception {
        String from = s3.newBucket();
        s3.put(from, "src.bin", content);
        String[] args = {"copy", "s3://" + from + "/src.bin", "s3://" + dst.bucket() + "/" + dst.key(), "--endpoint",
                proxy.endpoint().toString(), "--part-size", "5MiB", "--connections", "1", "--json"};
        proxy.delayAnswers(line -> line.contains("partNumber=3"), Duration.ofSeconds(20));
        CliRunner.Running first = cli.start(args);
        Await.until("the last part copied on the server", Duration.ofSeconds(60), () -> !first.process().isAlive()
                || partsOnServerNow(dst) == 3);
        kill(first, "with the last part's answer held back");
        proxy.clearFaults().delayAnswers(FaultCalls::isComplete, Duration.ofSeconds(20));
        CliRunner.Running second = cli.start(args);
        Await.until("the copy completed on the server", Duration.ofSeconds(60), () -> !second.process().isAlive()
                || exists(dst));
        kill(second, "completed on the server, answer held");
        proxy.clearFaults();
        CopyCheckpoint cp = copyCheckpoint();
        assertThat(cp).as("the checkpoint the killed run could not delete").isNotNull();
        assertThat(cp.allPartsRecorded()).as("the resumed run recorded every part before completing").isTrue();
        return args;
    }

    // ------------------------------------------------------------------ helpers

    private void kill(CliRunner.Running run, String how) throws Exception {
        assertThat(run.process().isAlive()).as("ferry still running when the kill comes (%s); stdout: %s", how,
                run.stdoutSoFar()).isTrue();
        run.kill9();
        assertThat(run.process().exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
    }

    private long bodyBytes() {
        return proxy.connections().stream().mapToLong(ConnectionStats::bodyBytesDown).sum();
    }

    /** Body bytes per second through the proxy during the last (uninterrupted) run, first byte to last. */
    private double measuredRate(int connectionsBefore) {
        List<ConnectionStats> all = proxy.connections();
        List<ConnectionStats> last = all.subList(connectionsBefore, all.size());
        long bytes = last.stream().mapToLong(ConnectionStats::bodyBytesDown).sum();
        long first = last.stream().filter(c -> c.bytesDown() > 0).mapToLong(ConnectionStats::firstByteNanos).min()
                .orElseThrow();
        long end = last.stream().mapToLong(ConnectionStats::lastByteNanos).max().orElseThrow();
        return bytes / Math.max((end - first) / 1e9, 1e-3);
    }

    private long checkpointedBytes() throws IOException {
        List<Path> cps = cli.checkpoints();
        if (cps.isEmpty()) {
            return 0;
        }
        assertThat(cps).hasSize(1);
        return CheckpointFiles.read(cps.get(0), DownloadCheckpoint.class).completedBytes();
    }

    private CopyCheckpoint copyCheckpoint() throws IOException {
        List<Path> cps = cli.checkpoints();
        return cps.isEmpty() ? null : CheckpointFiles.read(cps.get(0), CopyCheckpoint.class);
    }

    private int partsOnServer(ObjectRef dst) throws IOException {
        CopyCheckpoint cp = copyCheckpoint();
        if (cp == null || cp.uploadId() == null) {
            return 0;
        }
        return s3.store().listParts(dst, cp.uploadId(), new CancelSignal()).size();
    }

    /** {@link #partsOnServer}, or -1 while the checkpoint is being replaced. */
    private int partsOnServerNow(ObjectRef dst) {
        try {
            return partsOnServer(dst);
        } catch (IOException raceWithRename) {
            return -1;
        }
    }

    private List<MultipartUpload> uploads(String bucket) {
        try {
            return s3.store().listMultipartUploads(bucket, "", new CancelSignal());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private boolean exists(ObjectRef ref) {
        try {
            s3.store().head(ref, new CancelSignal());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** After the transfer finished, the checkpoint folder holds nothing: no checkpoint, no cut-short write. */
    private void reportCheckpointTempFiles() throws IOException {
        List<String> files = filesIn(cli.ferryHome().resolve("checkpoints"));
        assertThat(files).as("files left in the checkpoint folder after the transfer finished").isEmpty();
    }

    private static List<String> filesBeside(Path file) throws IOException {
        return filesIn(file.getParent());
    }

    private static List<String> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
