package dev.ferry.transfer.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferListener;

/** The queue behind the app, against a real S3 server: order, slots, pause, resume, cancel, limits, restarts. */
class TransferServiceS3IT {
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;
    private static final String CONN = "test";

    @TempDir
    Path dir;
    S3ProxyServer s3;
    S3Store store;
    String bucket;
    Path home;
    TransferService service;
    final List<TransferSnapshot> finished = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        s3 = S3ProxyServer.get();
        store = s3.store();
        bucket = s3.newBucket();
        home = dir.resolve("home");
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close(Duration.ofSeconds(10));
        }
    }

    private TransferService open() {
        service = TransferService.atHome(this::resolve, home);
        service.onFinished(finished::add);
        return service;
    }

    private S3Store resolve(String connection) throws IOException {
        if (!connection.equals(CONN)) {
            throw new IOException("there is no connection named " + connection);
        }
        return store;
    }

    private ObjectRef put(String key, byte[] content) {
        s3.put(bucket, key, content);
        return ObjectRef.of(bucket, key);
    }

    private TransferSpec.Download download(ObjectRef ref, String file) {
        return new TransferSpec.Download(CONN, ref, dir.resolve(file), PART, 3);
    }

    private TransferSnapshot snap(long id) {
        return service.snapshot(id).orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition);
    }

    private void awaitState(long id, TransferState state) throws InterruptedException {
        await("transfer " + id + " to be " + state + " (now " + service.snapshot(id) + ")",
                () -> snap(id).state() == state);
    }

    private List<Path> checkpoints() throws IOException {
        Path cps = home.resolve("checkpoints");
        if (!Files.isDirectory(cps)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cps)) {
            return s.toList();
        }
    }

    @Test
    void runsAtMostTheAllowedNumberAtOnceAndEveryFileIsExact() throws Exception {
        open().setMaxConcurrent(2);
        service.setGlobalLimit(8L * MIB);
        List<Long> ids = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] content = TestData.bytes(3 * MIB + i, 100 + i);
            contents.add(content);
            ids.add(service.add(download(put("many/f" + i + ".bin", content), "f" + i + ".bin")));
        }
        int mostActive = 0;
        while (finished.size() < 5) {
            int active = (int) service.snapshot().stream().filter(TransferSnapshot::isActive).count();
            mostActive = Math.max(mostActive, active);
            assertThat(active).isLessThanOrEqualTo(2);
            Thread.sleep(5);
        }
        assertThat(mostActive).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            TransferSnapshot s = snap(ids.get(i));
            assertThat(s.state()).as(s.message()).isEqualTo(TransferState.COMPLETED);
            assertThat(s.done()).isEqualTo(s.total()).isEqualTo(contents.get(i).length);
            assertThat(TestData.sha256(dir.resolve("f" + i + ".bin"))).isEqualTo(TestData.sha256(contents.get(i)));
        }
        assertThat(checkpoints()).isEmpty();
    }

    @Test
    void queueOrderDecidesWhatStartsNext() throws Exception {
        open().setMaxConcurrent(1);
        long a = service.add(download(put("order/a", TestData.bytes(MIB, 1)), "a"), true);
        long b = service.add(download(put("order/b", TestData.bytes(MIB, 2)), "b"), true);
        long c = service.add(download(put("order/c", TestData.bytes(MIB, 3)), "c"), true);
        service.move(c, 0);
        service.move(a, Integer.MAX_VALUE);
        assertThat(service.snapshot()).extracting(TransferSnapshot::id).containsExactly(c, b, a);
        assertThat(service.snapshot()).extracting(TransferSnapshot::state).containsOnly(TransferState.PAUSED);
        service.resumeAll();
        await("all three", () -> finished.size() == 3);
        assertThat(finished).extracting(TransferSnapshot::id).containsExactly(c, b, a);
    }

    @Test
    void pauseKeepsTheCheckpointAndResumeFinishesExactly() throws Exception {
        byte[] content = TestData.bytes(12 * MIB, 7);
        open().setGlobalLimit(2L * MIB);
        long id = service.add(download(put("pause/big.bin", content), "big.bin"));
        await("some bytes", () -> snap(id).done() > 0);
        service.pause(id);
        awaitState(id, TransferState.PAUSED);
        TransferSnapshot paused = snap(id);
        assertThat(paused.done()).isBetween(1L, (long) content.length - 1);
        assertThat(paused.checkpoint()).exists();
        assertThat(DownloadRequest.tempFileFor(dir.resolve("big.bin"))).exists();
        assertThat(service.log(id)).extracting(LogEntry::text).anyMatch(t -> t.startsWith("paused"));

        service.setGlobalLimit(0);
        service.resume(id);
        awaitState(id, TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("big.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(service.log(id)).extracting(LogEntry::text).anyMatch(t -> t.startsWith("resumed"));
        assertThat(service.parts(id)).isNotEmpty().allMatch(p -> p.status() == PartState.Status.DONE);
        assertThat(checkpoints()).isEmpty();
    }

    @Test
    void cancellingAPausedDownloadDeletesItsPartialData() throws Exception {
        open().setGlobalLimit(MIB);
        long id = service.add(download(put("cancel/x.bin", TestData.bytes(8 * MIB, 9)), "x.bin"));
        await("some bytes", () -> snap(id).done() > 0);
        service.pause(id);
        awaitState(id, TransferState.PAUSED);
        Path temp = DownloadRequest.tempFileFor(dir.resolve("x.bin"));
        assertThat(temp).exists();

        service.cancel(id);
        awaitState(id, TransferState.CANCELLED);
        await("partial data deleted", () -> !Files.exists(temp) && checkpointsQuietly().isEmpty());
        assertThat(dir.resolve("x.bin")).doesNotExist();
    }

    @Test
    void cancellingARunningDownloadDeletesItsPartialData() throws Exception {
        open().setGlobalLimit(MIB);
        long id = service.add(download(put("cancel/run.bin", TestData.bytes(8 * MIB, 10)), "run.bin"));
        await("some bytes", () -> snap(id).done() > 0);
        service.cancel(id);
        awaitState(id, TransferState.CANCELLED);
        assertThat(DownloadRequest.tempFileFor(dir.resolve("run.bin"))).doesNotExist();
        assertThat(checkpoints()).isEmpty();
    }

    @Test
    void aCopyRunsThroughTheQueueAndCancelAbortsItsUpload() throws Exception {
        String to = s3.newBucket();
        byte[] content = TestData.bytes(12 * MIB, 11);
        ObjectRef src = put("copy/src.bin", content);
        open();
        long done = service.add(new TransferSpec.Copy(CONN, src, ObjectRef.of(to, "copied.bin"), PART, 2));
        awaitState(done, TransferState.COMPLETED);
        assertThat(snap(done).kind()).isEqualTo(TransferSpec.Kind.COPY);
        assertThat(store.head(ObjectRef.of(to, "copied.bin"), new CancelSignal()).size()).isEqualTo(content.length);

        // a copy paused after its first part, by the engine itself, where the queue keeps its checkpoints
        ObjectRef later = ObjectRef.of(to, "later.bin");
        Path checkpoint = home.resolve("checkpoints").resolve(CheckpointFiles.copyCheckpointName(store.endpointId(),
                src.bucket(), src.key(), null, to, "later.bin"));
        Copy[] running = new Copy[1];
        running[0] = new Copy(store, CopyRequest.of(src, later).withPartSize(PART).withConnections(1)
                .withCheckpoint(checkpoint), new TransferListener() {
                    @Override
                    public void onEvent(TransferEvent e) {
                        if (e.type() == TransferEvent.Type.PART_SUCCEEDED) {
                            running[0].pause();
                        }
                    }
                });
        assertThat(running[0].run().state()).isEqualTo(TransferState.PAUSED);
        assertThat(store.listMultipartUploads(to, "later.bin", new CancelSignal())).hasSize(1);
        assertThat(checkpoint).exists();

        long paused = service.add(new TransferSpec.Copy(CONN, src, later, PART, 1), true);
        service.cancel(paused);
        assertThat(snap(paused).state()).isEqualTo(TransferState.CANCELLED);
        await("upload aborted", () -> {
            try {
                return store.listMultipartUploads(to, "later.bin", new CancelSignal()).isEmpty()
                        && !Files.exists(checkpoint);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        await("logged", () -> service.log(paused).stream().anyMatch(l -> l.text().equals("multipart upload aborted")));
    }

    @Test
    void aCopyOntoAnExistingObjectFailsAndIsRunAgainOverItOnlyWhenAsked() throws Exception {
        String to = s3.newBucket();
        byte[] content = TestData.bytes(6 * MIB, 14);
        byte[] theirs = TestData.bytes(2000, 15);
        ObjectRef src = put("copy/over.bin", content);
        s3.put(to, "taken.bin", theirs);
        ObjectRef dst = ObjectRef.of(to, "taken.bin");
        open();
        long id = service.add(new TransferSpec.Copy(CONN, src, dst, PART, 2));
        awaitState(id, TransferState.FAILED);

        TransferSnapshot failed = snap(id);
        assertThat(failed.failure()).isEqualTo(dev.ferry.transfer.FailureKind.DESTINATION_EXISTS);
        assertThat(failed.isCopyOntoExisting()).isTrue();
        assertThat(failed.message()).contains("already at " + to + "/taken.bin");
        assertThat(store.head(dst, new CancelSignal()).size()).isEqualTo(theirs.length);
        service.retry(id);
        await("the plain retry to run", () -> service.log(id).stream()
                .filter(l -> l.text().startsWith("starting")).count() == 2 && snap(id).state() == TransferState.FAILED);
        assertThat(snap(id).isCopyOntoExisting()).as("a plain retry still does not replace it").isTrue();

        // after a restart the row still knows why it failed, and so still offers to replace
        service.close(Duration.ofSeconds(10));
        TransferService again = open();
        long restored = again.snapshot().get(0).id();
        assertThat(snap(restored).isCopyOntoExisting()).isTrue();
        again.start();

        assertThat(service.replaceAndRetry(restored)).isTrue();
        awaitState(restored, TransferState.COMPLETED);
        assertThat(snap(restored).failure()).isEqualTo(dev.ferry.transfer.FailureKind.NONE);
        assertThat(store.head(dst, new CancelSignal()).size()).isEqualTo(content.length);
        assertThat(service.replaceAndRetry(restored)).as("only a copy refused for its destination").isFalse();
        assertThat(service.replaceAndRetry(-1)).isFalse();
        service.close(Duration.ofSeconds(10));
        service = null;
        assertThat(QueueFile.load(home.resolve("queue.json"))).singleElement()
                .satisfies(i -> assertThat(i.replace()).as("the choice is saved with the copy").isTrue());
    }

    /** Removing an entry whose partial-file name holds somebody else's file keeps that file, and says so. */
    @Test
    void removingAnEntryWhosePartialFileIsNotItsKeepsItAndSaysSo() throws Exception {
        open();
        List<String> notices = new CopyOnWriteArrayList<>();
        service.onNotice(notices::add);
        Path temp = DownloadRequest.tempFileFor(dir.resolve("theirs.bin"));
        Files.writeString(temp, "somebody's notes");
        long id = service.add(download(put("notice/theirs.bin", TestData.bytes(1000, 30)), "theirs.bin"), true);

        service.remove(id);

        await("the notice", () -> !notices.isEmpty());
        assertThat(notices).singleElement().asString().startsWith("theirs.bin (removed from the list): ")
                .contains("is in the way");
        assertThat(Files.readString(temp)).isEqualTo("somebody's notes");
        assertThat(service.snapshot()).isEmpty();
    }

    @Test
    void transfersAreShownWithTheSchemeOfTheirConnection() throws Exception {
        service = new TransferService(new StoreResolver() {
            @Override
            public dev.ferry.storage.CopyStore store(String connectionId) throws IOException {
                return resolve(connectionId);
            }

            @Override
            public String scheme(String connectionId) {
                return "tos";
            }
        }, null, home.resolve("checkpoints"), null);
        long d = service.add(download(ObjectRef.of(bucket, "x/y.bin"), "y.bin"), true);
        long c = service.add(new TransferSpec.Copy(CONN, ObjectRef.of(bucket, "a"), ObjectRef.of("other", "b"), PART,
                1), true);
        assertThat(snap(d).source()).isEqualTo("tos://" + bucket + "/x/y.bin");
        assertThat(snap(d).destination()).isEqualTo(dir.resolve("y.bin").toString());
        assertThat(snap(c).destination()).isEqualTo("tos://other/b");
    }

    @Test
    void anUnknownConnectionFailsWithItsReasonAndRetryRunsAgain() throws Exception {
        open();
        long id = service.add(new TransferSpec.Download("nowhere", ObjectRef.of(bucket, "k"), dir.resolve("k"),
                PART, 1));
        awaitState(id, TransferState.FAILED);
        assertThat(snap(id).message()).isEqualTo("there is no connection named nowhere");
        service.retry(id);
        awaitState(id, TransferState.FAILED);
        assertThat(service.log(id)).extracting(LogEntry::text).filteredOn(t -> t.startsWith("starting")).hasSize(2);
    }

    @Test
    void theQueueSurvivesARestartAndARunningDownloadResumes() throws Exception {
        byte[] big = TestData.bytes(12 * MIB, 12);
        ObjectRef bigRef = put("restart/big.bin", big);
        open().setGlobalLimit(2L * MIB);
        long running = service.add(download(bigRef, "big.bin"));
        long parked = service.add(download(put("restart/small.bin", TestData.bytes(MIB, 13)), "small.bin"), true);
        service.setLimit(parked, 123_456);
        await("some bytes", () -> snap(running).done() > 0);
        service.close(Duration.ofSeconds(10));
        service = null;
        assertThat(home.resolve("queue.json")).exists();
        assertThat(Files.readString(home.resolve("queue.json"))).doesNotContain(s3.credentials().secretAccessKey());

        TransferService again = open();
        List<TransferSnapshot> restored = again.snapshot();
        assertThat(restored).extracting(TransferSnapshot::name).containsExactly("big.bin", "small.bin");
        assertThat(restored.get(1).state()).isEqualTo(TransferState.PAUSED);
        assertThat(restored.get(1).limit()).isEqualTo(123_456);
        again.start();
        long id = restored.get(0).id();
        awaitState(id, TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("big.bin"))).isEqualTo(TestData.sha256(big));
        assertThat(again.log(id)).extracting(LogEntry::text).anyMatch(t -> t.startsWith("resumed"));
    }

    @Test
    void anUnreadableQueueFileIsSetAsideAndExplained() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve("queue.json"), "{ not json");
        open();
        assertThat(service.snapshot()).isEmpty();
        assertThat(service.loadProblem()).hasValueSatisfying(m -> assertThat(m).contains("cannot be read")
                .contains("moved to"));
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("queue.json.unreadable-"));
        }
    }

    @Test
    void removingAnUnfinishedTransferLeavesNothingBehind() throws Exception {
        open().setGlobalLimit(MIB);
        long id = service.add(download(put("remove/r.bin", TestData.bytes(6 * MIB, 14)), "r.bin"));
        await("some bytes", () -> snap(id).done() > 0);
        service.remove(id);
        await("removed", () -> service.snapshot(id).isEmpty());
        assertThat(DownloadRequest.tempFileFor(dir.resolve("r.bin"))).doesNotExist();
        assertThat(checkpoints()).isEmpty();
    }

    private List<Path> checkpointsQuietly() {
        try {
            return checkpoints();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
