package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CheckpointLock;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.checkpoint.ObjectIdentity;
import dev.ferry.transfer.checkpoint.SourceRecord;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.event.TransferListener;
import dev.ferry.transfer.limit.RateLimiter;

/** The download engine against a real S3 server (s3proxy, filesystem backend). */
class DownloadS3IT {
    private static final int KIB = 1 << 10;
    private static final int MIB = 1 << 20;
    private static S3ProxyServer s3;
    private static String bucket;

    @TempDir
    Path dir;
    private S3Store store;
    private Path dest;
    private Path checkpoint;

    @BeforeAll
    static void server() {
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
    }

    @BeforeEach
    void setUp() {
        store = s3.store();
        dest = dir.resolve("obj.bin");
        checkpoint = dir.resolve("cp.json");
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    // ------------------------------------------------------------------ helpers

    private static String uniqueKey() {
        return "dir/" + UUID.randomUUID() + ".bin";
    }

    private String put(byte[] content) {
        String key = uniqueKey();
        s3.put(bucket, key, content);
        return key;
    }

    private DownloadRequest request(String key, long partSize, int connections) {
        return DownloadRequest.of(ObjectRef.of(bucket, key), dest).withPartSize(partSize)
                .withConnections(connections).withCheckpoint(checkpoint);
    }

    private Download download(DownloadRequest req, TransferListener listener) {
        return new Download(store, req, RateLimiter.unlimited(), listener, RetryPolicy.fast(4));
    }

    private DownloadResult run(DownloadRequest req, TransferListener listener) {
        return download(req, listener).run();
    }

    private static FutureTask<DownloadResult> startInBackground(Download d) {
        FutureTask<DownloadResult> task = new FutureTask<>(d::run);
        Thread t = new Thread(task, "test-download");
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static long doneBytes(Download d) {
        return d.parts().stream().mapToLong(PartView::done).sum();
    }

    private static void awaitAtLeast(LongSupplier value, long min) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsLong() < min) {
            assertThat(System.nanoTime()).as("waiting for %d", min).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private Path temp() {
        return DownloadRequest.tempFileFor(dest);
    }

    private void assertExactAndClean(DownloadResult r, byte[] content) {
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(temp()).doesNotExist();
        assertThat(checkpoint).doesNotExist();
    }

    private void assertNothingLeft() {
        assertThat(temp()).doesNotExist();
        assertThat(checkpoint).doesNotExist();
        assertThat(dest).doesNotExist();
    }

    /** A well-formed checkpoint for {@code key} as if an earlier run had got {@code completed} bytes of each part. */
    private DownloadCheckpoint checkpointFor(String key, long partSize, long formatVersion, long... completed)
            throws Exception {
        ObjectRef ref = ObjectRef.of(bucket, key);
        ObjectInfo info = store.head(ref, new CancelSignal());
        List<DownloadCheckpoint.Part> parts = new ArrayList<>();
        for (PartPlan.Range r : PartPlan.split(info.size(), partSize)) {
            long done = completed.length == 0 ? r.length() : completed[r.number() - 1];
            parts.add(new DownloadCheckpoint.Part(r.number(), r.start(), r.length(), done));
        }
        return new DownloadCheckpoint((int) formatVersion, DownloadCheckpoint.KIND,
                new SourceRecord(store.endpointId(), bucket, key, null),
                new ObjectIdentity(info.etag(), info.size(), info.lastModified(), info.versionId(),
                        info.checksums()),
                dest.toString(), temp().toString(), info.size(), partSize, Instant.now().toString(), parts);
    }

    private JsonNode checkpointJson() throws Exception {
        return CheckpointFiles.json().readTree(Files.readAllBytes(checkpoint));
    }

    // ------------------------------------------------------------------ byte-exact downloads

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 512 * KIB - 1, 512 * KIB + 1, 3 * MIB + 12345})
    void downloadsByteExact(int size) {
        byte[] content = TestData.bytes(size, size);
        String key = put(content);
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(key, 512 * KIB, 4), events);

        assertExactAndClean(r, content);
        assertThat(r.fetched()).isEqualTo(size);
        assertThat(r.reused()).isZero();
        int parts = (size + 512 * KIB - 1) / (512 * KIB);
        assertThat(events.events(Type.PART_SUCCEEDED)).hasSize(parts);
        assertThat(events.types()).contains(Type.VERIFIED);
    }

    // ------------------------------------------------------------------ resume and checkpoints

    @Test
    void objectOverwrittenBetweenRunsStartsOverWithTheNewBytes() throws Exception {
        byte[] first = TestData.bytes(3 * MIB, 11);
        String key = put(first);
        Download d = download(request(key, MIB, 2).withRateLimit(2 * MIB), TransferListener.NONE);
        FutureTask<DownloadResult> running = startInBackground(d);
        awaitAtLeast(() -> doneBytes(d), 256 * KIB);
        d.pause();
        assertThat(running.get(10, TimeUnit.SECONDS).state()).isEqualTo(TransferState.PAUSED);
        assertThat(checkpoint).exists();

        byte[] second = TestData.bytes(3 * MIB, 12);
        s3.put(bucket, key, second);
        RecordingListener events = new RecordingListener();
        DownloadResult r = run(request(key, MIB, 2), events);

        assertExactAndClean(r, second);
        assertThat(events.events(Type.CHECKPOINT_DISCARDED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("changed"));
        assertThat(events.types()).doesNotContain(Type.RESUMED);
        assertThat(r.reused()).isZero();
        assertThat(r.fetched()).isEqualTo(second.length);
    }

    @Test
    void objectOverwrittenMidDownloadIsASourceChange() throws Exception {
        byte[] first = TestData.bytes(3 * MIB, 13);
        String key = put(first);
        RecordingListener events = new RecordingListener();
        Download d = download(request(key, MIB, 2).withRateLimit(2 * MIB), events);
        FutureTask<DownloadResult> running = startInBackground(d);
        awaitAtLeast(() -> doneBytes(d), 256 * KIB);

        byte[] second = TestData.bytes(3 * MIB, 14);
        s3.put(bucket, key, second);
        DownloadResult r = running.get(20, TimeUnit.SECONDS);

        // requests already streaming may finish the old version (every byte of it, checked by ETag);
        // any request made after the overwrite gets 412: either way never a mixed file
        if (r.state() == TransferState.COMPLETED) {
            assertExactAndClean(r, first);
            Files.delete(dest);
        } else {
            assertThat(r.state()).as(r.message()).isEqualTo(TransferState.FAILED);
            assertThat(r.failureKind()).isEqualTo(FailureKind.SOURCE_CHANGED);
            assertNothingLeft();
            assertThat(events.types()).last().isEqualTo(Type.FAILED);
        }

        assertExactAndClean(run(request(key, MIB, 2), TransferListener.NONE), second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "wrongFormatVersion"})
    void corruptCheckpointIsDiscardedWithAWarning(String corruption) throws Exception {
        byte[] content = TestData.bytes(2 * MIB + 7, 21);
        String key = put(content);
        // the temp file holds wrong bytes that the checkpoint claims are done: trusting it would be visible. It is
        // Ferry's, as its mark says (or, where the file system keeps none, the lock file a killed run leaves)
        Files.write(temp(), TestData.bytes(content.length, 99));
        if (TempGeneration.mark(temp()) == null) {
            Files.createFile(CheckpointLock.fileOf(temp()));
        }
        byte[] valid = CheckpointFiles.json().writeValueAsBytes(checkpointFor(key, MIB, 1));
        byte[] broken = corruption.equals("truncated") ? Arrays.copyOf(valid, valid.length / 2)
                : CheckpointFiles.json().writeValueAsBytes(checkpointFor(key, MIB, 99));
        Files.write(checkpoint, broken);
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(key, MIB, 2), events);

        assertExactAndClean(r, content);
        assertThat(events.events(Type.CHECKPOINT_DISCARDED)).singleElement().satisfies(e ->
                assertThat(e.message()).contains(corruption.equals("wrongFormatVersion") ? "format version 99"
                        : "corrupt"));
        assertThat(events.types()).doesNotContain(Type.RESUMED);
        assertThat(r.fetched()).isEqualTo(content.length);
    }

    /**
     * A run killed between recording its finished file and renaming it, with no checkpoint, leaves the file at the
     * temp name and its lock file beside it: the next run sees from the record that the file is this object and
     * only renames it.
     */
    @Test
    void aFinishedFileAKilledRunLeftAtTheTempNameIsMovedIntoPlace() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 5, 24);
        String key = put(content);
        ObjectInfo head = store.head(ObjectRef.of(bucket, key), new CancelSignal());
        Files.write(temp(), content);
        FileOrigin.record(temp(), head.etag());
        assumeTrue(FileOrigin.recorded(temp()), "the file system keeps user attributes");
        Files.createFile(CheckpointLock.fileOf(temp()));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(key, MIB, 2).withCheckpoint(null), events);

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(r.fetched()).as("bytes fetched again").isZero();
        assertThat(r.message()).contains("only its rename was left");
        assertThat(Files.readAllBytes(dest)).isEqualTo(content);
        assertThat(temp()).doesNotExist();
        assertThat(CheckpointLock.fileOf(temp())).doesNotExist();
        assertThat(events.messages(Type.VERIFIED)).contains("finished by an earlier run");
    }

    /**
     * Such a file recorded for other bytes (the object was replaced since), or without the lock file a killed run
     * leaves, is not taken for this object: it stays where it is, in the way, and nothing is written.
     */
    @Test
    void aFinishedFileOfOtherBytesOrWithoutTheLockStaysInTheWay() throws Exception {
        byte[] content = TestData.bytes(MIB + 1, 25);
        String key = put(content);
        byte[] older = TestData.bytes(MIB + 1, 26);
        Files.write(temp(), older);
        FileOrigin.record(temp(), "\"" + "0".repeat(32) + "\"");
        assumeTrue(FileOrigin.recorded(temp()), "the file system keeps user attributes");
        Files.createFile(CheckpointLock.fileOf(temp()));

        DownloadResult other = run(request(key, MIB, 2).withCheckpoint(null), TransferListener.NONE);

        assertThat(other.failureKind()).as(other.message()).isEqualTo(FailureKind.INPUT);
        assertThat(other.message()).contains("is in the way");
        assertThat(Files.readAllBytes(temp())).isEqualTo(older);
        assertThat(dest).doesNotExist();

        ObjectInfo head = store.head(ObjectRef.of(bucket, key), new CancelSignal());
        Files.write(temp(), content);
        FileOrigin.record(temp(), head.etag());
        Files.deleteIfExists(CheckpointLock.fileOf(temp()));

        DownloadResult noLock = run(request(key, MIB, 2).withCheckpoint(null), TransferListener.NONE);

        assertThat(noLock.failureKind()).as(noLock.message()).isEqualTo(FailureKind.INPUT);
        assertThat(Files.readAllBytes(temp())).isEqualTo(content);
        assertThat(dest).doesNotExist();
    }

    /**
     * A checkpoint that cannot be saved at all (its folder is a file) is reported once, not at every save, and a
     * pause says that nothing can resume, instead of promising a resume from a file that is not there; the partial
     * file, of no use without a checkpoint, goes.
     */
    @Test
    void aCheckpointThatCannotBeSavedIsReportedOnceAndThePauseSaysSo() throws Exception {
        byte[] content = TestData.bytes(4 * MIB, 23);
        String key = put(content);
        Path notAFolder = Files.writeString(dir.resolve("a-file"), "x");
        RecordingListener events = new RecordingListener();
        Download d = download(DownloadRequest.of(ObjectRef.of(bucket, key), dest).withPartSize(MIB)
                .withConnections(2).withCheckpoint(notAFolder.resolve("cp.json")).withRateLimit(MIB), events);
        FutureTask<DownloadResult> running = startInBackground(d);
        awaitAtLeast(() -> doneBytes(d), 1536 * KIB); // past three checkpoint intervals
        d.pause();
        DownloadResult r = running.get(10, TimeUnit.SECONDS);

        assertThat(r.state()).isEqualTo(TransferState.PAUSED);
        assertThat(r.message()).contains("no checkpoint could be saved").contains("partial data deleted")
                .doesNotContain("run again to resume");
        assertThat(events.events(Type.CHECKPOINT_FAILED)).as("reported once").hasSize(1);
        assertThat(temp()).doesNotExist();
        assertThat(dest).doesNotExist();
    }

    /**
     * A checkpoint file that is not recognisably a download checkpoint (the user named a file of theirs) is neither
     * used nor replaced: the download is refused and leaves it, and the temp file beside the destination, alone.
     */
    @Test
    void aCheckpointFileThatIsNoDownloadCheckpointIsLeftAloneAndTheDownloadRefused() throws Exception {
        byte[] content = TestData.bytes(2 * MIB + 7, 22);
        String key = put(content);
        byte[] partial = TestData.bytes(MIB, 98);
        Files.write(temp(), partial);
        byte[] notOurs = "\u0000\u00ffnot json at all {{{".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(checkpoint, notOurs);

        DownloadResult r = run(request(key, MIB, 2), TransferListener.NONE);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(r.message()).contains("is not a Ferry download checkpoint").contains("left as it is");
        assertThat(r.fetched()).isZero();
        assertThat(Files.readAllBytes(checkpoint)).isEqualTo(notOurs);
        assertThat(Files.readAllBytes(temp())).isEqualTo(partial);
        assertThat(dest).doesNotExist();
        assertThatThrownBy(() -> Download.discard(request(key, MIB, 2))).hasMessageContaining("left as it is");
        assertThat(Files.readAllBytes(checkpoint)).isEqualTo(notOurs);
    }

    @Test
    void tempFileDeletedBetweenRunsIsFetchedAgain() throws Exception {
        byte[] content = TestData.bytes(2 * MIB + 3, 31);
        String key = put(content);
        CheckpointFiles.write(checkpoint, checkpointFor(key, MIB, 1, MIB, MIB / 2, 0));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(key, MIB, 2), events);

        assertExactAndClean(r, content);
        assertThat(events.events(Type.RESUMED)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("temp file was missing"));
        assertThat(r.fetched()).isEqualTo(content.length);
        assertThat(r.reused()).isZero();
    }

    @Test
    void truncatedTempFileRefetchesOnlyTheMissingBytes() throws Exception {
        byte[] content = TestData.bytes(2 * MIB + 100, 41);
        String key = put(content);
        long partSize = 512 * KIB;
        CheckpointFiles.write(checkpoint, checkpointFor(key, partSize, 1)); // every part claimed done
        int kept = 700_000; // all of part 1 and some of part 2
        Files.write(temp(), Arrays.copyOf(content, kept));
        AtomicLong recordedWhenPlanned = new AtomicLong(-1);
        RecordingListener events = new RecordingListener() {
            @Override
            public void onEvent(TransferEvent e) {
                super.onEvent(e);
                if (e.type() == Type.TEMP_FILE_CREATED) {
                    recordedWhenPlanned.set(readCompleted());
                }
            }
        };

        // limited so the run outlasts the listener's look at the checkpoint
        DownloadResult r = run(request(key, partSize, 3).withRateLimit(3 * MIB), events);

        assertExactAndClean(r, content);
        assertThat(r.reused()).isEqualTo(kept);
        assertThat(r.fetched()).isEqualTo(content.length - kept);
        assertThat(events.messages(Type.RESUMED)).contains("the temp file was " + kept + " bytes");
        // the repaired plan was on disk before any part started: the old one claimed bytes the file lacked
        assertThat(recordedWhenPlanned.get()).isGreaterThanOrEqualTo(kept).isLessThan(content.length);
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part)
                .containsExactlyInAnyOrder(2, 3, 4, 5);
    }

    private long readCompleted() {
        try {
            return CheckpointFiles.read(checkpoint, DownloadCheckpoint.class).completedBytes();
        } catch (Exception e) {
            return -2;
        }
    }

    @Test
    void cancelMidTransferDeletesTempFileAndCheckpoint() throws Exception {
        byte[] content = TestData.bytes(3 * MIB, 51);
        String key = put(content);
        RecordingListener events = new RecordingListener();
        Download d = download(request(key, MIB, 2).withRateLimit(2 * MIB), events);
        FutureTask<DownloadResult> running = startInBackground(d);
        awaitAtLeast(() -> doneBytes(d), 256 * KIB);
        assertThat(temp()).exists();

        d.cancel();
        DownloadResult r = running.get(10, TimeUnit.SECONDS);

        assertThat(r.state()).isEqualTo(TransferState.CANCELLED);
        assertNothingLeft();
        assertThat(events.types()).last().isEqualTo(Type.CANCELLED);
    }

    @Test
    void discardRemovesWhatAPausedDownloadLeft() throws Exception {
        String key = put(TestData.bytes(2 * MIB, 55));
        Download d = download(request(key, MIB, 2).withRateLimit(2 * MIB), TransferListener.NONE);
        FutureTask<DownloadResult> running = startInBackground(d);
        awaitAtLeast(() -> doneBytes(d), 128 * KIB);
        d.pause();
        assertThat(running.get(10, TimeUnit.SECONDS).state()).isEqualTo(TransferState.PAUSED);
        assertThat(temp()).exists();
        assertThat(checkpoint).exists();

        assertThat(Download.discard(request(key, MIB, 2))).isTrue();

        assertNothingLeft();
        assertThat(Download.discard(request(key, MIB, 2))).isFalse();
    }

    @Test
    void aCompleteCheckpointLeftByACrashAfterTheRenameCountsAsDone() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 11, 42);
        String key = put(content);
        assertExactAndClean(run(request(key, MIB, 2), TransferListener.NONE), content);
        // the crash came between the rename and the checkpoint's deletion
        CheckpointFiles.write(checkpoint, checkpointFor(key, MIB, DownloadCheckpoint.FORMAT_VERSION));

        DownloadResult again = run(request(key, MIB, 2), TransferListener.NONE);

        assertThat(again.state()).as(again.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(again.fetched()).isZero();
        assertThat(again.message()).contains("already downloaded");
        assertThat(checkpoint).doesNotExist();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
    }

    @Test
    void aTempFileAnotherRunStartedAfreshIsNotTakenForTheCheckpoints() throws Exception {
        byte[] content = TestData.bytes(4 * MIB + 5, 41);
        String key = put(content);
        // run 1 pauses with its checkpoint
        Download first = download(request(key, MIB, 2).withRateLimit(2 * MIB), TransferListener.NONE);
        FutureTask<DownloadResult> running = startInBackground(first);
        awaitAtLeast(() -> doneBytes(first), 3 * MIB / 2);
        first.pause();
        assertThat(running.get(10, TimeUnit.SECONDS).state()).isEqualTo(TransferState.PAUSED);
        // run 2, with another checkpoint, starts the same temp file afresh and pauses early
        Path other = dir.resolve("other-checkpoint.json");
        Download second = download(request(key, MIB, 2).withCheckpoint(other).withRateLimit(MIB),
                TransferListener.NONE);
        running = startInBackground(second);
        awaitAtLeast(() -> doneBytes(second), 128 * KIB);
        second.pause();
        assertThat(running.get(10, TimeUnit.SECONDS).state()).isEqualTo(TransferState.PAUSED);
        RecordingListener events = new RecordingListener();

        // run 1's checkpoint no longer describes the file: everything is fetched again, exactly
        DownloadResult r = run(request(key, MIB, 2), events);

        assertExactAndClean(r, content);
        assertThat(r.fetched()).isEqualTo(content.length);
        assertThat(events.messages(Type.RESUMED)).contains("not the one the checkpoint describes");
    }

    @Test
    void pauseInsideAPartKeepsEveryByteForTheResume() throws Exception {
        byte[] content = TestData.bytes(5 * MIB + 333, 61);
        String key = put(content);
        long partSize = 4 * MIB;
        Download d = download(request(key, partSize, 2).withRateLimit(MIB), TransferListener.NONE);
        FutureTask<DownloadResult> running = startInBackground(d);
        Thread.sleep(1500);
        d.pause();
        DownloadResult paused = running.get(10, TimeUnit.SECONDS);

        assertThat(paused.state()).isEqualTo(TransferState.PAUSED);
        assertThat(temp()).exists();
        assertThat(dest).doesNotExist();
        JsonNode cp = checkpointJson();
        long recorded = 0;
        boolean insideAPart = false;
        for (JsonNode part : cp.get("parts")) {
            long completed = part.get("completed").asLong();
            recorded += completed;
            insideAPart |= completed > 0 && completed < part.get("length").asLong();
        }
        assertThat(insideAPart).as(cp.toString()).isTrue();
        assertThat(recorded).isEqualTo(paused.fetched()).isBetween(512L * KIB, 3L * MIB);

        RecordingListener events = new RecordingListener();
        DownloadResult resumed = run(request(key, partSize, 2), events);

        assertExactAndClean(resumed, content);
        assertThat(resumed.reused()).isEqualTo(recorded);
        assertThat(resumed.fetched()).isEqualTo(content.length - recorded);
        assertThat(events.types()).contains(Type.RESUMED).doesNotContain(Type.CHECKPOINT_DISCARDED);
    }

    // ------------------------------------------------------------------ rate limit

    @Test
    void rateLimitHoldsOnAverageAndInEveryWindow() throws Exception {
        int size = 6 * MIB;
        long rate = 3 * MIB / 2;
        byte[] content = TestData.bytes(size, 71);
        String key = put(content);
        Download d = download(request(key, MIB, 4).withRateLimit(rate), TransferListener.NONE);
        List<long[]> samples = new ArrayList<>(); // {nanos, done}
        long t0 = System.nanoTime();
        FutureTask<DownloadResult> running = startInBackground(d);
        while (!running.isDone()) {
            samples.add(new long[]{System.nanoTime() - t0, doneBytes(d)});
            Thread.sleep(50);
        }
        assertExactAndClean(running.get(), content);

        long[] from = samples.stream().filter(s -> s[0] >= 250_000_000L).findFirst().orElseThrow();
        long[] to = samples.stream().filter(s -> s[1] < size).reduce((a, b) -> b).orElseThrow();
        double mean = (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
        assertThat(mean).isBetween(rate * 0.95, rate * 1.05);
        for (int i = 0; i < samples.size(); i++) {
            long[] a = samples.get(i);
            for (int j = i + 1; j < samples.size(); j++) {
                long[] b = samples.get(j);
                if (b[0] - a[0] >= 250_000_000L) {
                    double windowRate = (b[1] - a[1]) / ((b[0] - a[0]) / 1e9);
                    assertThat(windowRate).as("window at %d ms", a[0] / 1_000_000).isLessThanOrEqualTo(2.0 * rate);
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------ destination

    @Test
    void existingDestinationIsKeptUnlessOverwriteIsAsked() throws Exception {
        byte[] content = TestData.bytes(MIB + 5, 81);
        String key = put(content);
        Files.writeString(dest, "keep me");

        DownloadResult refused = run(request(key, MIB, 2), TransferListener.NONE);

        assertThat(refused.state()).isEqualTo(TransferState.FAILED);
        assertThat(refused.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(refused.message()).contains("already exists");
        assertThat(refused.fetched()).isZero();
        assertThat(Files.readString(dest)).isEqualTo("keep me");
        assertThat(temp()).doesNotExist();
        assertThat(checkpoint).doesNotExist();

        DownloadResult replaced = run(request(key, MIB, 2).withOverwrite(true), TransferListener.NONE);

        assertExactAndClean(replaced, content);
    }

    @Test
    void missingObjectFailsAsInputWithNoSuchKey() {
        DownloadResult r = run(request("dir/does-not-exist.bin", MIB, 2), TransferListener.NONE);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(r.message()).contains("NoSuchKey");
        assertNothingLeft();
    }

    @Test
    void aSecondDownloadToTheSameDestinationIsBusyAndTouchesNothing() throws Exception {
        byte[] content = TestData.bytes(2 * MIB, 91);
        String key = put(content);
        Download first = download(request(key, 512 * KIB, 2).withRateLimit(MIB), TransferListener.NONE);
        FutureTask<DownloadResult> running = startInBackground(first);
        awaitAtLeast(() -> doneBytes(first), 128 * KIB);
        awaitAtLeast(() -> Files.exists(checkpoint) ? 1 : 0, 1);

        DownloadResult second = run(request(key, 512 * KIB, 2), TransferListener.NONE);

        assertThat(second.state()).isEqualTo(TransferState.FAILED);
        assertThat(second.failureKind()).isEqualTo(FailureKind.BUSY);
        assertThat(second.fetched()).isZero();
        assertThat(temp()).exists();
        assertThat(checkpoint).exists();
        Download canceller = download(request(key, 512 * KIB, 2), TransferListener.NONE);
        canceller.cancel();
        assertThat(canceller.run().state()).isEqualTo(TransferState.CANCELLED);
        assertThatThrownBy(() -> Download.discard(request(key, 512 * KIB, 2))).hasMessageContaining("right now");
        assertThat(temp()).exists();
        assertThat(checkpoint).exists();

        first.setRateLimit(0);
        assertExactAndClean(running.get(20, TimeUnit.SECONDS), content);
    }

    // ------------------------------------------------------------------ listener contract

    @Test
    void listenerContract() {
        byte[] content = TestData.bytes(3 * MIB + 1, 101);
        String key = put(content);
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(key, 512 * KIB, 3), events);

        assertExactAndClean(r, content);
        List<TransferEvent> all = events.events();
        assertThat(all.get(0).type()).isEqualTo(Type.STARTED);
        assertThat(events.events(Type.STARTED)).hasSize(1);
        assertThat(all.stream().filter(TransferEvent::isTerminal)).hasSize(1);
        assertThat(all.get(all.size() - 1).type()).isEqualTo(Type.SUCCEEDED);
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part)
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
        assertThat(events.threads()).singleElement().satisfies(t -> assertThat(t).startsWith("ferry-events-"));
        var last = events.progress().get(events.progress().size() - 1);
        assertThat(last.state()).isEqualTo(TransferState.COMPLETED);
        assertThat(last.done()).isEqualTo(content.length);
        assertThat(last.partsDone()).isEqualTo(7);
    }
}
