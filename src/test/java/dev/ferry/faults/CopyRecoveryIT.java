package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.CopyStore.MultipartUpload;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.testing.Await;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.CopyResult;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;

/**
 * The moments of a copy a crash rarely hits, made on cue through a {@link FaultProxy} that holds answers back,
 * against s3proxy and the TOS test server: stopped while CreateMultipartUpload is unanswered (the server made
 * an upload the checkpoint cannot name), stopped once every part is copied and the upload then completed
 * without the checkpoint being deleted, and a second copy on a running one's checkpoint.
 */
class CopyRecoveryIT {
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;
    /** Shorter than the client's read timeout, so a held answer is never retried. */
    private static final Duration HOLD = Duration.ofSeconds(20);
    private static Path classDir;

    private final CancelSignal never = new CancelSignal();
    private Path dir;
    private FaultProxy proxy;
    private CopyStore store;
    /** A client straight to the server, for setting up and looking. */
    private CopyStore direct;
    private TosTestServer tos;

    @BeforeAll
    static void folder() {
        classDir = FaultArtifacts.newDir("CopyRecoveryIT");
    }

    @AfterAll
    static void scan() {
        FaultArtifacts.assertNoSecretsAfterClass(classDir, 1);
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(classDir.resolve("t" + System.nanoTime()));
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            FaultArtifacts.secretsSeenBy(proxy);
            proxy.close();
        }
        if (store != null) {
            store.close();
        }
        if (tos != null) {
            tos.close();
        }
    }

    private void overS3() throws IOException {
        S3ProxyServer s3 = S3ProxyServer.get();
        FaultArtifacts.secret("the secret key", s3.credentials().secretAccessKey());
        proxy = new FaultProxy(s3.endpoint(), 7);
        store = new S3Store(new S3Config(proxy.endpoint(), "us-east-1", s3.credentials(), true),
                HttpClients.create(16), RetryPolicy.fast(3));
        direct = s3.store();
    }

    private void overTos() throws IOException {
        tos = new TosTestServer();
        FaultArtifacts.secret("the TOS secret key", TosTestServer.CREDENTIALS.secretAccessKey());
        tos.minPartSize(64 << 10);
        proxy = new FaultProxy(tos.endpoint(), 7);
        store = new TosStore(new TosConfig(proxy.endpoint(), TosTestServer.REGION, TosTestServer.CREDENTIALS, true),
                HttpClients.create(16), RetryPolicy.fast(3), Clock.systemUTC());
        direct = tos.store();
    }

    private String bucket() throws IOException {
        if (tos != null) {
            String name = "b" + System.nanoTime();
            tos.createBucket(name);
            return name;
        }
        return S3ProxyServer.get().newBucket();
    }

    private ObjectRef source(byte[] content) throws IOException {
        String bucket = bucket();
        if (tos != null) {
            tos.putObject(bucket, "src.bin", content);
        } else {
            S3ProxyServer.get().put(bucket, "src.bin", content);
        }
        return ObjectRef.of(bucket, "src.bin");
    }

    private CopyRequest request(ObjectRef src, ObjectRef dst, long part) {
        return CopyRequest.of(src, dst).withPartSize(part).withConnections(2).withCheckpoint(dir.resolve("copy.json"));
    }

    // ------------------------------------------------------------------ stopped before the upload is recorded

    @Test
    void s3PauseWhileCreateIsUnansweredKeepsItsTimeAndTheNextRunAbortsTheUpload() throws Exception {
        overS3();
        pauseWhileCreateIsUnansweredThenResume(TestData.bytes(11 * MIB, 1), PART);
    }

    @Test
    void tosPauseWhileCreateIsUnansweredKeepsItsTimeAndTheNextRunAbortsTheUpload() throws Exception {
        overTos();
        pauseWhileCreateIsUnansweredThenResume(TestData.bytes(300_000, 2), 64 << 10);
    }

    private void pauseWhileCreateIsUnansweredThenResume(byte[] content, long part) throws Exception {
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dir/dst.bin");
        CopyRequest request = request(src, dst, part);
        proxy.delayAnswers(FaultCalls::isCreateUpload, HOLD);

        CopyResult paused = stopOnceTheUploadExists(request, dst, Copy::pause);

        assertThat(paused.state()).as(paused.message()).isEqualTo(TransferState.PAUSED);
        List<MultipartUpload> orphans = uploads(dst);
        assertThat(orphans).as("the upload the server made").hasSize(1);
        CopyCheckpoint pending = CheckpointFiles.read(request.checkpoint(), CopyCheckpoint.class);
        assertThat(pending.uploadId()).isNull();
        // a file-system server (s3proxy) may date the upload by a file's timestamp, which the kernel takes from a
        // clock that ticks every few milliseconds: it can read a little earlier than this machine's clock did before
        // the request went out (seen: 2 ms). The sweep itself allows seconds (UnrecordedUploads.CLOCK_SLACK)
        assertThat(pending.unrecordedSince().truncatedTo(ChronoUnit.MILLIS)).as("recorded before the server made it")
                .isBeforeOrEqualTo(orphans.get(0).initiated().plusMillis(50));
        proxy.clearFaults();

        RecordingListener events = new RecordingListener();
        CopyResult done = run(request, events);

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.messages(Type.UPLOAD_ABORTED)).contains(orphans.get(0).uploadId() + ": started for");
        assertThat(events.messages(Type.CHECKPOINT_DISCARDED)).contains("stopped before it recorded");
        assertThat(TestData.sha256(read(dst, content.length))).isEqualTo(TestData.sha256(content));
        assertThat(uploads(dst)).as("uploads left").isEmpty();
        assertThat(filesIn(dir)).as("checkpoint, lock and temp files left").isEmpty();
    }

    @Test
    void aCancelWhileCreateIsUnansweredAbortsTheUploadAtOnce() throws Exception {
        overS3();
        ObjectRef src = source(TestData.bytes(11 * MIB, 3));
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        proxy.delayAnswers(FaultCalls::isCreateUpload, HOLD);

        CopyResult r = stopOnceTheUploadExists(request(src, dst, PART), dst, Copy::cancel);

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.CANCELLED);
        assertThat(uploads(dst)).as("uploads left").isEmpty();
        assertThat(filesIn(dir)).as("checkpoint, lock and temp files left").isEmpty();
    }

    @Test
    void withoutACheckpointAPauseWhileCreateIsUnansweredAbortsTheUploadAtOnce() throws Exception {
        overS3();
        ObjectRef src = source(TestData.bytes(11 * MIB, 4));
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        proxy.delayAnswers(FaultCalls::isCreateUpload, HOLD);

        CopyResult r = stopOnceTheUploadExists(request(src, dst, PART).withCheckpoint(null), dst, Copy::pause);

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.PAUSED);
        assertThat(uploads(dst)).as("nothing could resume the upload, so none may be left").isEmpty();
    }

    /** A refused CreateMultipartUpload (no such bucket) leaves no checkpoint: nothing can have been created. */
    @Test
    void aRefusedCreateLeavesNoCheckpoint() throws Exception {
        overS3();
        ObjectRef src = source(TestData.bytes(11 * MIB, 10));
        RecordingListener events = new RecordingListener();

        CopyResult r = run(request(src, ObjectRef.of("no-such-bucket-" + System.nanoTime(), "dst.bin"), PART),
                events);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(r.message()).contains("NoSuchBucket");
        assertThat(filesIn(dir)).as("checkpoint, lock and temp files left").isEmpty();
    }

    /** Runs the copy until the server holds its upload (its answer held back), then stops it with {@code how}. */
    private CopyResult stopOnceTheUploadExists(CopyRequest request, ObjectRef dst, Consumer<Copy> how)
            throws Exception {
        RecordingListener events = new RecordingListener();
        Copy copy = new Copy(store, request, events);
        CompletableFuture<CopyResult> run = CompletableFuture.supplyAsync(copy::run);
        Await.until("the upload exists on the server", Duration.ofSeconds(30), () -> !uploads(dst).isEmpty()
                || run.isDone());
        assertThat(run).as("the copy still waits for CreateMultipartUpload's answer").isNotDone();
        how.accept(copy);
        return logged(events, run.get(HOLD.toSeconds() / 2, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ completed, checkpoint not deleted

    /**
     * A run killed after CompleteMultipartUpload but before it deleted its checkpoint leaves a checkpoint whose
     * upload is gone and the destination complete (CrashLoopIT makes that with a real kill on S3). Made here
     * step by step on TOS: a run paused while its third part's answer is held back (so its checkpoint misses
     * parts), then the upload finished and completed from outside. TOS reports the CRC-64 of both objects.
     */
    @Test
    void tosAFinishedCopyIsRecognisedByItsCrc64() throws Exception {
        overTos();
        byte[] content = TestData.bytes(300_000, 6);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, 64 << 10);
        CopyCheckpoint cp = pauseAfterParts(request, 2);
        completeOutside(cp, src, dst);
        assertThat(cp.allPartsRecorded()).as("the checkpoint misses parts").isFalse();
        int sent = proxy.requests().size();

        RecordingListener events = new RecordingListener();
        CopyResult done = run(request, events);

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(done.copied()).isZero();
        assertThat(events.messages(Type.VERIFIED)).contains("already is the completed copy").contains("CRC-64");
        assertThat(partCopiesSince(sent)).isZero();
        assertThat(tos.object(dst.bucket(), dst.key()).orElseThrow().content()).isEqualTo(content);
        assertThat(filesIn(dir)).isEmpty();
    }

    /**
     * The same on S3, where nothing proves the finished copy when the checkpoint misses parts: the object there
     * is not replaced without leave, and the refusal says it is probably this copy's own result; with leave, the
     * copy runs again, exactly.
     */
    @Test
    void s3AFinishedCopyWhoseCheckpointMissesPartsIsRefusedSayingItIsProbablyItsOwn() throws Exception {
        overS3();
        byte[] content = TestData.bytes(11 * MIB + 3, 23);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, PART);
        CopyCheckpoint cp = pauseAfterParts(request, 1);
        completeOutside(cp, src, dst);
        assertThat(cp.allPartsRecorded()).as("the checkpoint misses parts").isFalse();
        int sent = proxy.requests().size();

        CopyResult refused = run(request, new RecordingListener());

        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(refused.message()).contains("probably the result of a run of this copy").contains("3 parts");
        assertThat(proxy.requests().stream().skip(sent).map(FaultProxy.Exchange::method))
                .as("nothing written: no part copied, no upload created or completed").doesNotContain("PUT", "POST");

        CopyResult done = run(request.withReplace(true), new RecordingListener());

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(CliOutput.sha256(S3ProxyServer.get().store(), dst.bucket(), dst.key(), content.length))
                .isEqualTo(TestData.sha256(content));
        assertThat(uploads(dst)).isEmpty();
        assertThat(filesIn(dir)).isEmpty();
    }

    /**
     * The same, with the record of every part a copy writes beside its checkpoint just before its Complete: that
     * record proves the object is the copy's own result, so nothing is written again.
     */
    @Test
    void s3AFinishedCopyIsKnownByItsRecordOfEveryPart() throws Exception {
        overS3();
        byte[] content = TestData.bytes(11 * MIB + 3, 24);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, PART);
        CopyCheckpoint cp = pauseAfterParts(request, 1);
        List<CopyCheckpoint.Part> all = completeOutside(cp, src, dst).stream()
                .map(u -> new CopyCheckpoint.Part(u.number(), cp.parts().get(u.number() - 1).start(), u.size(),
                        u.etag())).toList();
        CheckpointFiles.write(dir.resolve("copy.json.all-parts"), new CopyCheckpoint(cp.formatVersion(), cp.kind(),
                cp.source(), cp.object(), cp.destinationBucket(), cp.destinationKey(), cp.uploadId(),
                cp.unrecordedUploadsSince(), cp.partSize(), cp.updated(), all));
        int sent = proxy.requests().size();
        RecordingListener events = new RecordingListener();

        CopyResult done = run(request, events);

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(done.alreadyThere()).isTrue();
        assertThat(events.messages(Type.VERIFIED)).contains("already is the completed copy")
                .contains("the ETag its parts make");
        assertThat(proxy.requests().stream().skip(sent).map(FaultProxy.Exchange::method))
                .as("nothing written").doesNotContain("PUT", "POST");
        assertThat(uploads(dst)).isEmpty();
        assertThat(filesIn(dir)).as("the checkpoint and the record of every part").isEmpty();
    }

    /**
     * An object put at the destination while the parts are copied (on cue: as the server answers the first part
     * copy) is not replaced: the copy looks again before its Complete, and with no checkpoint to finish from later
     * it aborts its upload.
     */
    @Test
    void s3AnObjectPutWhileThePartsAreCopiedIsNotReplaced() throws Exception {
        overS3();
        byte[] content = TestData.bytes(11 * MIB, 21);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "racing.bin");
        byte[] theirs = TestData.bytes(700, 22);
        AtomicBoolean put = new AtomicBoolean();
        proxy.delayAnswers(line -> {
            if (line.contains("partNumber=") && !put.getAndSet(true)) {
                S3ProxyServer.get().put(dst.bucket(), dst.key(), theirs);
            }
            return false;
        }, Duration.ZERO);

        CopyResult refused = run(request(src, dst, PART).withCheckpoint(null), new RecordingListener());

        assertThat(put).as("the object was put while the parts were copied").isTrue();
        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(refused.copied()).as("the parts were copied before the check").isEqualTo(content.length);
        assertThat(CliOutput.sha256(S3ProxyServer.get().store(), dst.bucket(), dst.key(), theirs.length))
                .isEqualTo(TestData.sha256(theirs));
        assertThat(uploads(dst)).as("uploads left").isEmpty();
    }

    /**
     * A destination of the right size that is not the copy proves nothing: it is another writer's object, so the
     * run that would start over refuses to replace it, and one asked to replace it copies again, exactly.
     */
    @Test
    void tosADestinationOfTheSameSizeButOtherBytesIsCopiedAgain() throws Exception {
        overTos();
        byte[] content = TestData.bytes(300_000, 7);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, 64 << 10);
        CopyCheckpoint cp = pauseAfterParts(request, 2);
        direct.abortMultipartUpload(dst, cp.uploadId(), never);
        byte[] theirs = TestData.bytes(content.length, 8);
        tos.putObject(dst.bucket(), dst.key(), theirs);

        CopyResult refused = run(request, new RecordingListener());

        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(tos.object(dst.bucket(), dst.key()).orElseThrow().content()).isEqualTo(theirs);
        assertThat(uploads(dst)).isEmpty();

        RecordingListener events = new RecordingListener();
        CopyResult done = run(request.withReplace(true), events);

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(done.copied()).isEqualTo(content.length);
        assertThat(events.messages(Type.VERIFIED)).doesNotContain("already is the completed copy");
        assertThat(tos.object(dst.bucket(), dst.key()).orElseThrow().content()).isEqualTo(content);
        assertThat(uploads(dst)).isEmpty();
    }

    /**
     * A copy paused as a multipart upload, run again with a part size larger than the object, is one CopyObject;
     * the multipart upload and checkpoint of the first run go.
     */
    @Test
    void aCopyThatBecomesOneRequestDropsTheUploadOfItsLastRun() throws Exception {
        overS3();
        byte[] content = TestData.bytes(11 * MIB, 11);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, PART);
        CopyCheckpoint cp = pauseAfterParts(request, 2);
        assertThat(uploads(dst)).extracting(MultipartUpload::uploadId).containsExactly(cp.uploadId());

        RecordingListener events = new RecordingListener();
        CopyResult done = run(request.withPartSize(64L * MIB), events);

        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.types()).doesNotContain(Type.UPLOAD_CREATED);
        assertThat(events.messages(Type.UPLOAD_ABORTED)).contains(cp.uploadId());
        assertThat(TestData.sha256(read(dst, content.length))).isEqualTo(TestData.sha256(content));
        assertThat(uploads(dst)).isEmpty();
        assertThat(filesIn(dir)).isEmpty();
    }

    /**
     * Finishes a paused copy's upload from outside, as a run killed after its Complete would have: copies the parts
     * its checkpoint misses and completes the upload. Returns every part.
     */
    private List<UploadedPart> completeOutside(CopyCheckpoint cp, ObjectRef src, ObjectRef dst) throws IOException {
        List<UploadedPart> parts = new java.util.ArrayList<>();
        for (CopyCheckpoint.Part p : cp.parts()) {
            String etag = p.etag() != null ? p.etag() : direct.uploadPartCopy(dst, cp.uploadId(), p.number(), src,
                    p.start(), p.start() + p.length() - 1, null, never);
            parts.add(new UploadedPart(p.number(), etag, p.length()));
        }
        direct.completeMultipartUpload(dst, cp.uploadId(), parts, never);
        return parts;
    }

    /** Runs the copy on one connection, pausing it once {@code parts} parts are copied (the next one's answer held). */
    private CopyCheckpoint pauseAfterParts(CopyRequest request, int parts) throws IOException {
        Pattern next = Pattern.compile("[?&]partNumber=" + (parts + 1) + "[& ]");
        proxy.delayAnswers(line -> next.matcher(line).find(), HOLD);
        AtomicReference<Copy> holder = new AtomicReference<>();
        RecordingListener pausing = new RecordingListener() {
            @Override
            public void onEvent(TransferEvent event) {
                super.onEvent(event);
                if (event.type() == Type.PART_SUCCEEDED && events(Type.PART_SUCCEEDED).size() == parts) {
                    holder.get().pause();
                }
            }
        };
        Copy copy = new Copy(store, request.withConnections(1), pausing);
        holder.set(copy);
        CopyResult r = logged(pausing, copy.run());
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.PAUSED);
        proxy.clearFaults();
        return CheckpointFiles.read(request.checkpoint(), CopyCheckpoint.class);
    }

    private long partCopiesSince(int sent) {
        return proxy.requests().stream().skip(sent).filter(e -> e.method().equals("PUT")
                && e.target().contains("partNumber=")).count();
    }

    // ------------------------------------------------------------------ one copy at a time

    @Test
    void aSecondCopyOnTheSameCheckpointRefusesWhileTheFirstRuns() throws Exception {
        overS3();
        byte[] content = TestData.bytes(11 * MIB, 9);
        ObjectRef src = source(content);
        ObjectRef dst = ObjectRef.of(bucket(), "dst.bin");
        CopyRequest request = request(src, dst, PART);
        proxy.delayAnswers(FaultCalls::isCreateUpload, Duration.ofSeconds(2));
        RecordingListener firstEvents = new RecordingListener();
        Copy first = new Copy(store, request, firstEvents);
        CompletableFuture<CopyResult> running = CompletableFuture.supplyAsync(first::run);
        Await.until("the first copy creates its upload", Duration.ofSeconds(30), () -> !uploads(dst).isEmpty());

        CopyResult second = run(request, new RecordingListener());
        IOException cancel = org.assertj.core.api.Assertions.catchThrowableOfType(IOException.class,
                () -> Copy.discard(store, request));

        assertThat(second.state()).isEqualTo(TransferState.FAILED);
        assertThat(second.failureKind()).isEqualTo(FailureKind.BUSY);
        assertThat(second.message()).contains("another Ferry is running this copy");
        assertThat(cancel).as("a cancel meanwhile").hasMessageContaining("another Ferry is running this copy");
        CopyResult firstResult = logged(firstEvents, running.get(60, TimeUnit.SECONDS));
        assertThat(firstResult.state()).as(firstResult.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(read(dst, content.length))).isEqualTo(TestData.sha256(content));
        assertThat(uploads(dst)).isEmpty();
        assertThat(filesIn(dir)).as("the lock file is gone with its copy").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a copy and writes its events and result where the secret scan reads them. */
    private CopyResult run(CopyRequest request, RecordingListener events) {
        return logged(events, new Copy(store, request, events).run());
    }

    private CopyResult logged(RecordingListener events, CopyResult r) {
        FaultArtifacts.writeLog(classDir.resolve("logs").resolve("copy-" + System.nanoTime() + ".log"), events.events(),
                r.state() + " " + r.message(), r.error());
        return r;
    }

    private List<MultipartUpload> uploads(ObjectRef dst) {
        try {
            return direct.listMultipartUploads(dst.bucket(), dst.key(), never);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private byte[] read(ObjectRef ref, int size) throws IOException {
        try (var body = direct.getRange(ref, 0, size - 1, null, never);
             var in = java.nio.channels.Channels.newInputStream(body.channel())) {
            return in.readAllBytes();
        }
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
