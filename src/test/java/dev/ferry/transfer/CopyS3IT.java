package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/** Server-side copies against a real S3 server: bytes, metadata, pause, resume, cancel, changes. */
class CopyS3IT {
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;

    @TempDir
    Path dir;
    S3ProxyServer s3;
    S3Store store;
    String from;
    String to;
    Path checkpoint;
    final CancelSignal never = new CancelSignal();

    @BeforeEach
    void setUp() {
        s3 = S3ProxyServer.get();
        store = s3.store();
        from = s3.newBucket();
        to = s3.newBucket();
        checkpoint = dir.resolve("copy.json");
    }

    private ObjectRef putSource(byte[] content, Map<String, String> headers) throws Exception {
        ObjectRef ref = ObjectRef.of(from, "src/" + UUID.randomUUID() + ".bin");
        Map<String, String> rest = new java.util.HashMap<>(headers);
        String type = rest.remove("Content-Type");
        store.putObject(ref, RequestBody.create(content, MediaType.get(type == null ? "application/octet-stream" : type)),
                rest, never);
        return ref;
    }

    private CopyRequest request(ObjectRef source, ObjectRef dest) {
        return CopyRequest.of(source, dest).withPartSize(PART).withConnections(3).withCheckpoint(checkpoint);
    }

    private byte[] fetch(ObjectRef ref) throws Exception {
        Path file = dir.resolve("fetched-" + UUID.randomUUID());
        DownloadResult r = new Download(store, DownloadRequest.of(ref, file), RateLimiter.unlimited(), null).run();
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        return Files.readAllBytes(file);
    }

    private List<String> uploadsTo(ObjectRef dest) throws Exception {
        return store.listMultipartUploads(dest.bucket(), dest.key(), never).stream()
                .map(u -> u.uploadId()).toList();
    }

    /** A listener that pauses the copy as soon as {@code parts} parts are copied. */
    private static RecordingListener pausingAfter(int parts, AtomicReference<Copy> copy) {
        return new RecordingListener() {
            @Override
            public void onEvent(TransferEvent event) {
                super.onEvent(event);
                if (events(Type.PART_SUCCEEDED).size() == parts) {
                    copy.get().pause();
                }
            }
        };
    }

    private CopyResult runPausingAfter(CopyRequest req, int parts) {
        AtomicReference<Copy> holder = new AtomicReference<>();
        Copy copy = new Copy(store, req, pausingAfter(parts, holder));
        holder.set(copy);
        return copy.run();
    }

    @Test
    void multipartCopyIsByteExactAndCarriesMetadata() throws Exception {
        byte[] content = TestData.bytes(13 * MIB + 777, 1);
        ObjectRef src = putSource(content, Map.of("Content-Type", "text/x-ferry", "x-amz-meta-color", "blue",
                "Cache-Control", "max-age=60"));
        ObjectRef dst = ObjectRef.of(to, "copies/c.bin");
        RecordingListener events = new RecordingListener();

        CopyResult r = new Copy(store, request(src, dst), events).run();

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(r.parts()).isEqualTo(3);
        assertThat(r.copied()).isEqualTo(content.length);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(content));
        ObjectInfo copied = store.head(dst, never);
        assertThat(copied.contentType()).isEqualTo("text/x-ferry");
        assertThat(copied.metadata()).containsEntry("x-amz-meta-color", "blue")
                .containsEntry("cache-control", "max-age=60");
        assertThat(events.events(Type.UPLOAD_CREATED)).hasSize(1);
        assertThat(events.messages(Type.VERIFIED)).contains("matches the copied parts");
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part)
                .containsExactlyInAnyOrder(1, 2, 3);
        assertThat(events.types()).last().isEqualTo(Type.SUCCEEDED);
        assertThat(checkpoint).doesNotExist();
        assertThat(uploadsTo(dst)).isEmpty();
    }

    @Test
    void aSourceSmallerThanOnePartIsOneCopyObject() throws Exception {
        byte[] content = TestData.bytes(100_000, 2);
        ObjectRef src = putSource(content, Map.of("x-amz-meta-small", "yes"));
        ObjectRef dst = ObjectRef.of(to, "small.bin");
        RecordingListener events = new RecordingListener();

        CopyResult r = new Copy(store, request(src, dst), events).run();

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(r.parts()).isEqualTo(1);
        assertThat(events.events(Type.UPLOAD_CREATED)).isEmpty();
        assertThat(fetch(dst)).isEqualTo(content);
        assertThat(store.head(dst, never).metadata()).containsEntry("x-amz-meta-small", "yes");
    }

    @Test
    void anEmptySourceIsCopied() throws Exception {
        ObjectRef src = putSource(new byte[0], Map.of());
        ObjectRef dst = ObjectRef.of(to, "empty.bin");
        CopyResult r = new Copy(store, request(src, dst), null).run();
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(store.head(dst, never).size()).isZero();
    }

    @Test
    void pauseKeepsUploadAndCheckpointAndResumeCopiesOnlyTheRest() throws Exception {
        byte[] content = TestData.bytes(26 * MIB, 3);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "resumed.bin");
        CopyRequest req = request(src, dst).withConnections(1);

        CopyResult paused = runPausingAfter(req, 2);

        assertThat(paused.state()).as(paused.message()).isEqualTo(TransferState.PAUSED);
        CopyCheckpoint cp = CheckpointFiles.read(checkpoint, CopyCheckpoint.class);
        Set<Integer> done = cp.parts().stream().filter(CopyCheckpoint.Part::isDone).map(CopyCheckpoint.Part::number)
                .collect(Collectors.toSet());
        assertThat(done).hasSizeBetween(2, 5);
        assertThat(uploadsTo(dst)).containsExactly(cp.uploadId());

        RecordingListener events = new RecordingListener();
        CopyResult resumed = new Copy(store, req, events).run();

        assertThat(resumed.state()).as(resumed.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.events(Type.RESUMED)).hasSize(1);
        List<Integer> copiedNow = events.events(Type.PART_SUCCEEDED).stream().map(TransferEvent::part).toList();
        // a part copy cut off by the pause may still have finished on the server: ListParts finds it
        assertThat(copiedNow).doesNotContainAnyElementsOf(done).hasSizeLessThanOrEqualTo(cp.parts().size() - done.size());
        assertThat(resumed.reused()).isGreaterThanOrEqualTo(cp.completedBytes());
        assertThat(resumed.reused() + resumed.copied()).isEqualTo(content.length);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(content));
        assertThat(checkpoint).doesNotExist();
        assertThat(uploadsTo(dst)).isEmpty();
    }

    @Test
    void cancelAbortsTheUploadAndDeletesTheCheckpoint() throws Exception {
        ObjectRef src = putSource(TestData.bytes(21 * MIB, 4), Map.of());
        ObjectRef dst = ObjectRef.of(to, "cancelled.bin");
        AtomicReference<Copy> holder = new AtomicReference<>();
        RecordingListener events = new RecordingListener() {
            @Override
            public void onEvent(TransferEvent event) {
                super.onEvent(event);
                if (event.type() == Type.PART_SUCCEEDED) {
                    holder.get().cancel();
                }
            }
        };
        Copy copy = new Copy(store, request(src, dst).withConnections(1), events);
        holder.set(copy);

        CopyResult r = copy.run();

        assertThat(r.state()).isEqualTo(TransferState.CANCELLED);
        assertThat(events.events(Type.UPLOAD_ABORTED)).hasSize(1);
        assertThat(uploadsTo(dst)).isEmpty();
        assertThat(checkpoint).doesNotExist();
    }

    @Test
    void aPausedCopyIsDiscardedAsCancelDoesFromTheCommandLine() throws Exception {
        ObjectRef src = putSource(TestData.bytes(16 * MIB, 5), Map.of());
        ObjectRef dst = ObjectRef.of(to, "discarded.bin");
        CopyRequest req = request(src, dst).withConnections(1);
        assertThat(runPausingAfter(req, 1).state()).isEqualTo(TransferState.PAUSED);
        assertThat(uploadsTo(dst)).hasSize(1);

        assertThat(Copy.discard(store, req)).isTrue();

        assertThat(uploadsTo(dst)).isEmpty();
        assertThat(checkpoint).doesNotExist();
    }

    @Test
    void aSourceOverwrittenBetweenRunsStartsOverAndAbortsTheOldUpload() throws Exception {
        ObjectRef src = putSource(TestData.bytes(16 * MIB, 6), Map.of());
        ObjectRef dst = ObjectRef.of(to, "changed.bin");
        CopyRequest req = request(src, dst).withConnections(1);
        assertThat(runPausingAfter(req, 1).state()).isEqualTo(TransferState.PAUSED);
        String oldUpload = CheckpointFiles.read(checkpoint, CopyCheckpoint.class).uploadId();
        byte[] newer = TestData.bytes(11 * MIB + 3, 7);
        store.putObject(src, RequestBody.create(newer, MediaType.get("application/octet-stream")), Map.of(), never);
        RecordingListener events = new RecordingListener();

        CopyResult r = new Copy(store, req, events).run();

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.messages(Type.CHECKPOINT_DISCARDED)).contains("changed");
        assertThat(events.messages(Type.UPLOAD_ABORTED)).contains(oldUpload);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(newer));
        assertThat(uploadsTo(dst)).isEmpty();
    }

    @Test
    void anUploadThatVanishedBetweenRunsIsStartedOver() throws Exception {
        byte[] content = TestData.bytes(16 * MIB, 8);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "vanished.bin");
        CopyRequest req = request(src, dst).withConnections(1);
        assertThat(runPausingAfter(req, 1).state()).isEqualTo(TransferState.PAUSED);
        String upload = CheckpointFiles.read(checkpoint, CopyCheckpoint.class).uploadId();
        store.abortMultipartUpload(dst, upload, never);
        RecordingListener events = new RecordingListener();

        CopyResult r = new Copy(store, req, events).run();

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.messages(Type.CHECKPOINT_DISCARDED)).contains(upload);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(content));
        assertThat(uploadsTo(dst)).isEmpty();
        assertThat(checkpoint).doesNotExist();
    }

    @Test
    void badInputFailsClearly() throws Exception {
        ObjectRef src = putSource(TestData.bytes(10, 9), Map.of());
        CopyResult self = new Copy(store, request(src, src), null).run();
        assertThat(self.state()).isEqualTo(TransferState.FAILED);
        assertThat(self.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(self.message()).contains("onto itself");

        CopyResult missing = new Copy(store, request(ObjectRef.of(from, "nope"), ObjectRef.of(to, "x")), null).run();
        assertThat(missing.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(missing.message()).contains("NoSuchKey");

        CopyResult noBucket = new Copy(store, request(src, ObjectRef.of("no-such-bucket-zz", "x")), null).run();
        assertThat(noBucket.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(noBucket.message()).contains("NoSuchBucket");
    }

    // ------------------------------------------------------------------ an object already at the destination

    @Test
    void anObjectAtTheDestinationIsReplacedOnlyWhenAsked() throws Exception {
        byte[] content = TestData.bytes(13 * MIB + 5, 11);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "taken.bin");
        byte[] theirs = TestData.bytes(3000, 12);
        store.putObject(dst, RequestBody.create(theirs, MediaType.get("application/octet-stream")), Map.of(), never);
        RecordingListener events = new RecordingListener();

        CopyResult refused = new Copy(store, request(src, dst), events).run();

        assertThat(refused.state()).isEqualTo(TransferState.FAILED);
        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(refused.message()).contains("already at " + dst).contains("3000 bytes");
        assertThat(events.events(Type.UPLOAD_CREATED)).as("nothing written").isEmpty();
        assertThat(fetch(dst)).isEqualTo(theirs);
        assertThat(uploadsTo(dst)).isEmpty();
        assertThat(checkpoint).doesNotExist();

        CopyResult replaced = new Copy(store, request(src, dst).withReplace(true), null).run();

        assertThat(replaced.state()).as(replaced.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(content));
    }

    @Test
    void aSmallCopyDoesNotReplaceAnObjectUnlessAsked() throws Exception {
        byte[] content = TestData.bytes(100_000, 13);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "small-taken.bin");
        byte[] theirs = TestData.bytes(100_000, 14);
        store.putObject(dst, RequestBody.create(theirs, MediaType.get("application/octet-stream")), Map.of(), never);

        CopyResult refused = new Copy(store, request(src, dst), null).run();

        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(fetch(dst)).isEqualTo(theirs);

        CopyResult replaced = new Copy(store, request(src, dst).withReplace(true), null).run();

        assertThat(replaced.state()).as(replaced.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(fetch(dst)).isEqualTo(content);
    }

    /**
     * An object that arrives at the destination while a copy is paused is not replaced when the copy resumes: the
     * copy stops before its Complete, keeping its parts, and a run that may replace it only completes the upload.
     */
    @Test
    void anObjectThatArrivesDuringAPauseIsNotReplacedAndThePartsAreKept() throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 9, 15);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "arrives.bin");
        CopyRequest req = request(src, dst).withConnections(1);
        CopyResult paused = runPausingAfter(req, 1);
        assertThat(paused.state()).as(paused.message()).isEqualTo(TransferState.PAUSED);
        byte[] theirs = TestData.bytes(5000, 16);
        store.putObject(dst, RequestBody.create(theirs, MediaType.get("application/octet-stream")), Map.of(), never);

        CopyResult refused = new Copy(store, req, null).run();

        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(refused.message()).contains("parts and the checkpoint are kept");
        assertThat(fetch(dst)).isEqualTo(theirs);
        assertThat(uploadsTo(dst)).hasSize(1);
        assertThat(CheckpointFiles.read(checkpoint, CopyCheckpoint.class).allPartsRecorded()).isTrue();

        CopyResult replaced = new Copy(store, req.withReplace(true), null).run();

        assertThat(replaced.state()).as(replaced.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(replaced.copied()).as("bytes copied again").isZero();
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(content));
        assertThat(uploadsTo(dst)).isEmpty();
        assertThat(checkpoint).doesNotExist();
    }

    /** Run again after it finished, a one-request copy finds its destination holding the source's bytes: done. */
    @Test
    void aCopyRunAgainFindsTheSourcesBytesThereAndIsDone() throws Exception {
        byte[] content = TestData.bytes(200_000, 19);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef dst = ObjectRef.of(to, "twice.bin");
        CopyResult first = new Copy(store, request(src, dst), null).run();
        assertThat(first.state()).as(first.message()).isEqualTo(TransferState.COMPLETED);
        RecordingListener events = new RecordingListener();

        CopyResult again = new Copy(store, request(src, dst), events).run();

        assertThat(again.state()).as(again.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(again.alreadyThere()).isTrue();
        assertThat(events.messages(Type.VERIFIED)).contains("already is the copy (the source's size and ETag)");
        assertThat(again.parts()).as("requests that copied").isZero();
        assertThat(events.types()).doesNotContain(Type.PART_SUCCEEDED, Type.UPLOAD_CREATED);
        assertThat(fetch(dst)).isEqualTo(content);
    }

    /**
     * A paused copy whose destination meanwhile got another object of the same size and as many parts (another
     * source copied there) is refused at its Complete: that object's ETag is not the one its own parts make.
     */
    @Test
    void anObjectOfTheSameShapeThatArrivesDuringAPauseIsNotReplaced() throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 9, 20);
        byte[] other = TestData.bytes(16 * MIB + 9, 21);
        ObjectRef src = putSource(content, Map.of());
        ObjectRef otherSrc = putSource(other, Map.of());
        ObjectRef dst = ObjectRef.of(to, "same-shape.bin");
        CopyRequest req = request(src, dst).withConnections(1);
        assertThat(runPausingAfter(req, 1).state()).isEqualTo(TransferState.PAUSED);
        CopyResult theirs = new Copy(store, request(otherSrc, dst).withCheckpoint(dir.resolve("other.json")), null)
                .run();
        assertThat(theirs.state()).as(theirs.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(theirs.parts()).as("as many parts").isEqualTo(CheckpointFiles.read(checkpoint, CopyCheckpoint.class)
                .parts().size());

        CopyResult refused = new Copy(store, req, null).run();

        assertThat(refused.failureKind()).as(refused.message()).isEqualTo(FailureKind.DESTINATION_EXISTS);
        assertThat(TestData.sha256(fetch(dst))).isEqualTo(TestData.sha256(other));
        assertThat(uploadsTo(dst)).hasSize(1);
    }
}
