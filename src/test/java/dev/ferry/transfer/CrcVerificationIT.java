package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * CRC-64 end to end against the TOS test server: downloads compute each part's CRC as it arrives, record it,
 * combine them and compare with the object's; a part that changed on disk is fetched again alone; wrong bytes
 * from the server fail cleanly; copies compare the completed object's CRC with the source's.
 */
class CrcVerificationIT {
    private static final String BUCKET = "crc-bucket";
    private static final int MIB = 1 << 20;
    private static final long PART = 5L * MIB;

    @TempDir
    Path dir;
    TosTestServer server;
    TosStore store;
    final CancelSignal never = new CancelSignal();

    @BeforeEach
    void start() {
        server = new TosTestServer();
        server.createBucket(BUCKET);
        store = server.store(RetryPolicy.fast(4));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DownloadRequest request(ObjectRef ref, Path file) {
        return DownloadRequest.of(ref, file).withPartSize(PART).withConnections(2)
                .withCheckpoint(dir.resolve("cp.json"));
    }

    /** Runs a download that pauses itself once {@code parts} parts have arrived. */
    private DownloadResult runPausingAfter(DownloadRequest request, int parts) {
        AtomicInteger arrived = new AtomicInteger();
        Download[] d = new Download[1];
        d[0] = new Download(store, request, RateLimiter.unlimited(), new RecordingListener() {
            @Override
            public void onEvent(TransferEvent e) {
                super.onEvent(e);
                if (e.type() == Type.PART_SUCCEEDED && arrived.incrementAndGet() == parts) {
                    d[0].pause();
                }
            }
        });
        return d[0].run();
    }

    @Test
    void partCrcsAreRecordedAndTheWholeFileIsCheckedAgainstTheObjects() throws Exception {
        byte[] content = TestData.bytes((int) (4 * PART + 12345), 41);
        ObjectRef ref = ObjectRef.of(BUCKET, "big.bin");
        server.putObject(BUCKET, "big.bin", content);
        Path file = dir.resolve("big.bin");

        DownloadResult paused = runPausingAfter(request(ref, file), 2);
        assertThat(paused.state()).isEqualTo(TransferState.PAUSED);
        DownloadCheckpoint cp = CheckpointFiles.read(dir.resolve("cp.json"), DownloadCheckpoint.class);
        assertThat(cp.parts()).filteredOn(DownloadCheckpoint.Part::isDone).isNotEmpty().allSatisfy(p -> assertThat(
                p.crc64()).isEqualTo(Crc64.of(Arrays.copyOfRange(content, (int) p.start(),
                (int) (p.start() + p.length())))));
        assertThat(cp.parts()).filteredOn(p -> !p.isDone()).allSatisfy(p -> assertThat(p.crc64()).isNull());

        RecordingListener events = new RecordingListener();
        DownloadResult done = new Download(store, request(ref, file), RateLimiter.unlimited(), events).run();
        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(file)).isEqualTo(TestData.sha256(content));
        assertThat(events.events(Type.VERIFIED)).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("CRC-64 " + Crc64.format(Crc64.of(content))));
    }

    @Test
    void aPartThatChangedOnDiskIsFetchedAgainAloneAndTheFileEndsExact() throws Exception {
        byte[] content = TestData.bytes((int) (4 * PART), 42);
        ObjectRef ref = ObjectRef.of(BUCKET, "rot.bin");
        server.putObject(BUCKET, "rot.bin", content);
        Path file = dir.resolve("rot.bin");
        assertThat(runPausingAfter(request(ref, file), 2).state()).isEqualTo(TransferState.PAUSED);
        DownloadCheckpoint cp = CheckpointFiles.read(dir.resolve("cp.json"), DownloadCheckpoint.class);
        DownloadCheckpoint.Part victim = cp.parts().stream().filter(DownloadCheckpoint.Part::isDone).findFirst()
                .orElseThrow();
        long reused = cp.completedBytes();
        // the disk changes a byte of a finished part behind Ferry's back
        try (FileChannel ch = FileChannel.open(DownloadRequest.tempFileFor(file), StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            long at = victim.start() + 1000;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
            ch.write(b, at);
        }

        RecordingListener events = new RecordingListener();
        DownloadResult done = new Download(store, request(ref, file), RateLimiter.unlimited(), events).run();
        assertThat(done.state()).as(done.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(file)).isEqualTo(TestData.sha256(content));
        assertThat(events.events(Type.PART_FAILED)).singleElement().satisfies(e -> {
            assertThat(e.part()).isEqualTo(victim.number());
            assertThat(e.message()).contains("changed on disk");
        });
        // what was left, plus the one part that went bad: nothing else is fetched again
        assertThat(done.fetched()).isEqualTo(content.length - reused + victim.length());
    }

    @Test
    void wrongBytesFromTheServerFailCleanlyAndLeaveNothingBehind() throws Exception {
        byte[] content = TestData.bytes((int) (2 * PART + 77), 43);
        ObjectRef ref = ObjectRef.of(BUCKET, "lie.bin");
        long crc = Crc64.of(content);
        server.putObject(BUCKET, "lie.bin", content.clone());
        // the server now serves a different byte under the same ETag and CRC
        server.object(BUCKET, "lie.bin").orElseThrow().content()[123_456] ^= 1;
        Path file = dir.resolve("lie.bin");

        DownloadResult r = new Download(store, request(ref, file), RateLimiter.unlimited(), null).run();
        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.message()).contains("does not match the object's CRC-64 " + Crc64.format(crc));
        assertThat(file).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(file)).doesNotExist();
        assertThat(dir.resolve("cp.json")).doesNotExist();
    }

    @Test
    void aCopyIsVerifiedByTheCrcTheServerReportsForIt() throws Exception {
        server.minPartSize(MIB);
        byte[] content = TestData.bytes((int) (3 * PART + 5), 44);
        server.putObject(BUCKET, "src.bin", content);
        server.createBucket("crc-dest");
        RecordingListener events = new RecordingListener();
        CopyResult r = new Copy(store, CopyRequest.of(ObjectRef.of(BUCKET, "src.bin"), ObjectRef.of("crc-dest",
                "copy.bin")).withPartSize(PART).withConnections(2), events).run();
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(events.events(Type.VERIFIED)).singleElement().satisfies(e -> assertThat(e.message())
                .isEqualTo("CRC-64 " + Crc64.format(Crc64.of(content)) + " matches the source's"));
        assertThat(server.object("crc-dest", "copy.bin").orElseThrow().content()).isEqualTo(content);
    }

    @Test
    void aCopyWhoseAssembledBytesDifferFromTheSourceFailsClearly() throws Exception {
        server.minPartSize(MIB);
        byte[] content = TestData.bytes((int) (3 * PART), 45);
        server.putObject(BUCKET, "src.bin", content.clone());
        server.object(BUCKET, "src.bin").orElseThrow().content()[10] ^= 1; // the HEAD still reports the old CRC
        server.createBucket("crc-dest");
        CopyResult r = new Copy(store, CopyRequest.of(ObjectRef.of(BUCKET, "src.bin"), ObjectRef.of("crc-dest",
                "copy.bin")).withPartSize(PART).withConnections(2), null).run();
        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.message()).contains("has CRC-64").contains("but the source has " + Crc64.format(Crc64.of(content)));
        assertThat(store.listMultipartUploads("crc-dest", "", never)).isEmpty();
        assertThat(Files.exists(dir.resolve("cp.json"))).isFalse();
    }
}
