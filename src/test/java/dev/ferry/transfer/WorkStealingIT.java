package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * One connection much slower than the rest: once no whole part is left, the idle connections take over what it has
 * not started to read (or, when it is only somewhat slower, the back halves of its part), so the download does not
 * wait for that part at the slow connection's pace.
 */
class WorkStealingIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private S3ProxyServer s3;
    private FaultProxy proxy;
    private String bucket;

    @BeforeEach
    void setUp() throws Exception {
        s3 = S3ProxyServer.get();
        proxy = new FaultProxy(s3.endpoint(), 7);
        bucket = s3.newBucket();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private S3Store store() {
        return new S3Store(new S3Config(proxy.endpoint(), "us-east-1", s3.credentials(), true),
                HttpClients.create(4), RetryPolicy.fast(4));
    }

    private DownloadRequest request(String key, long partSize) {
        return DownloadRequest.of(ObjectRef.of(bucket, key), dir.resolve(key)).withPartSize(partSize)
                .withConnections(4).withCheckpoint(dir.resolve(key + ".cp.json"));
    }

    @Test
    void idleConnectionsTakeOverFromAConnectionFarSlowerThanTheRest() throws Exception {
        byte[] content = TestData.bytes(32 * MIB, 51);
        s3.put(bucket, "tail.bin", content);
        // the HEAD goes around the proxy, so the proxy's first connection carries one whole run: part 1 of 4
        ObjectInfo info = s3.store().head(ObjectRef.of(bucket, "tail.bin"), new CancelSignal());
        proxy.slowConnections(1, MIB);
        RecordingListener events = new RecordingListener();

        DownloadResult r;
        try (S3Store store = store()) {
            r = new Download(store, request("tail.bin", 8 * MIB).withKnownInfo(info), RateLimiter.unlimited(), events,
                    RetryPolicy.fast(4)).run();
        }

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("tail.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(r.fetched()).isEqualTo(content.length);
        assertThat(events.events(Type.PART_SPLIT)).as(events.messages(Type.PART_SPLIT))
                .anySatisfy(split -> assertThat(split.message()).contains("takes over from a slow one"));
        // far below the others' pace, the slow connection is taken off its 8 MiB part once it has been on it for a
        // second (about 1 MiB at 1 MiB/s), and stops after the quantum it is reading; halving would have left it
        // at least 4 MiB
        FaultProxy.ConnectionStats slow = proxy.connections().get(0);
        assertThat(slow.bodyBytesDown()).as("the slow connection's share").isLessThan(3L * MIB);
        assertThat(events.events(Type.PART_FAILED)).isEmpty();
    }

    @Test
    void aConnectionFarBelowThePaceOfTheOthersIsReplacedWhileTheyAreStillBusy() throws Exception {
        byte[] content = TestData.bytes(32 * MIB, 53);
        s3.put(bucket, "replace.bin", content);
        ObjectInfo info = s3.store().head(ObjectRef.of(bucket, "replace.bin"), new CancelSignal());
        // the first connection (whichever part it carries) at 256 KiB/s; all together at 12 MiB/s, so the other three
        // take about two seconds over their parts and are still busy when the slow one has been a second on its part
        proxy.slowConnections(1, 256 << 10).throttle(12L * MIB);
        RecordingListener events = new RecordingListener();

        DownloadResult r;
        try (S3Store store = store()) {
            r = new Download(store, request("replace.bin", 8 * MIB).withKnownInfo(info), RateLimiter.unlimited(),
                    events, RetryPolicy.fast(4)).run();
        }

        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("replace.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(r.fetched()).isEqualTo(content.length);
        assertThat(events.events(Type.PART_RECONNECTED)).as(events.types().toString()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("going on from byte"));
        assertThat(events.events(Type.PART_FAILED)).isEmpty();
        // the slow connection carried about a second's worth, then was closed; part 1 went on elsewhere
        FaultProxy.ConnectionStats slow = proxy.connections().get(0);
        assertThat(slow.bodyBytesDown()).as("the slow connection's share").isLessThan(MIB);
        assertThat(proxy.connections()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aRateLimitedDownloadKeepsItsConnectionsWhateverTheirPace() throws Exception {
        byte[] content = TestData.bytes(16 * MIB, 54);
        s3.put(bucket, "limited.bin", content);
        ObjectInfo info = s3.store().head(ObjectRef.of(bucket, "limited.bin"), new CancelSignal());
        // 8 MiB/s over 4 connections: the others keep about 2 MiB/s over their 4 MiB parts for two seconds, sixteen
        // times the slow one's pace; unlimited, it would be replaced a second into its part
        proxy.slowConnections(1, 128 << 10);
        RecordingListener events = new RecordingListener();

        try (S3Store store = store()) {
            Download d = new Download(store, request("limited.bin", 4 * MIB).withKnownInfo(info)
                    .withRateLimit(8L * MIB), RateLimiter.unlimited(), events, RetryPolicy.fast(4));
            Thread t = new Thread(d::run, "test-limited");
            t.start();
            // once a fast connection has finished its part it is idle and may pick a part to take over; the slow
            // part has then been in flight well over the second a takeover or a replacement waits for
            Await.until("a first part done", () -> !events.events(Type.PART_SUCCEEDED).isEmpty());
            Thread.sleep(1_000);
            d.pause();
            t.join(20_000);
        }

        // paused, not finished: the slow connection's part was still out while the others stood idle
        assertThat(events.types()).contains(Type.PAUSED).doesNotContain(Type.SUCCEEDED, Type.PART_RECONNECTED);
        // idle connections may halve the slow part, but none takes it over
        assertThat(events.events(Type.PART_SPLIT))
                .noneSatisfy(split -> assertThat(split.message()).contains("takes over"));
    }

    @Test
    void aPauseAfterSplitsLeavesACheckpointThatCoversTheObjectAndResumesExactly() throws Exception {
        byte[] content = TestData.bytes(32 * MIB, 52);
        s3.put(bucket, "split-pause.bin", content);
        ObjectInfo info = s3.store().head(ObjectRef.of(bucket, "split-pause.bin"), new CancelSignal());
        proxy.slowConnections(1, 256 << 10);
        RecordingListener events = new RecordingListener();
        Path checkpoint = dir.resolve("split-pause.bin.cp.json");

        try (S3Store store = store()) {
            Download d = new Download(store, request("split-pause.bin", 8 * MIB).withKnownInfo(info),
                    RateLimiter.unlimited(), events, RetryPolicy.fast(4));
            Thread t = new Thread(d::run, "test-split-pause");
            t.start();
            Await.until("a part split", Duration.ofSeconds(30), () -> !events.events(Type.PART_SPLIT).isEmpty());
            d.pause();
            t.join(20_000);
        }
        DownloadCheckpoint cp = CheckpointFiles.read(checkpoint, DownloadCheckpoint.class);
        assertThat(cp.problem()).isNull();
        assertThat(cp.parts()).hasSizeGreaterThan(4);
        proxy.clearFaults();

        DownloadResult r;
        try (S3Store store = store()) {
            r = new Download(store, request("split-pause.bin", 8 * MIB), RateLimiter.unlimited(),
                    new RecordingListener(), RetryPolicy.fast(4)).run();
        }
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("split-pause.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(r.reused() + r.fetched()).isEqualTo(content.length);
        assertThat(r.reused()).isEqualTo(cp.completedBytes());
    }
}
