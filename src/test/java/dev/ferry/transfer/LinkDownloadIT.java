package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.Link;
import dev.ferry.storage.http.LinkStore;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.TestData;
import dev.ferry.testing.WebServer;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.event.TransferListener;
import dev.ferry.transfer.limit.RateLimiter;
import okhttp3.OkHttpClient;

/** The download engine on plain links, against a real web server (embedded Jetty) serving real files. */
class LinkDownloadIT {
    private static final int KIB = 1 << 10;
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    private Path served;
    private Path dest;
    private Path checkpoint;
    private WebServer web;
    private final OkHttpClient http = HttpClients.create(8);

    @BeforeEach
    void setUp() throws Exception {
        served = Files.createDirectories(dir.resolve("www"));
        dest = dir.resolve("out.bin");
        checkpoint = dir.resolve("cp.json");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (web != null) {
            web.close();
        }
        http.connectionPool().evictAll();
    }

    private byte[] serveFile(String name, int size, long seed) throws Exception {
        byte[] content = TestData.bytes(size, seed);
        Files.write(served.resolve(name), content);
        return content;
    }

    /**
     * Replaces a served file as a site does: a new file moved over the old one (answers under way keep reading
     * the old one), with a later modification time.
     */
    private byte[] replaceFile(String name, int size, long seed) throws Exception {
        byte[] content = TestData.bytes(size, seed);
        Path next = dir.resolve("next.bin");
        Files.write(next, content);
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(60)));
        Files.move(next, served.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return content;
    }

    private Download download(String url, long partSize, int connections, TransferListener listener) {
        Link link = Link.parse(url);
        DownloadRequest request = DownloadRequest.of(link.ref(), dest).withPartSize(partSize)
                .withConnections(connections).withCheckpoint(checkpoint);
        return new Download(new LinkStore(link, http, RetryPolicy.fast(3)), request, RateLimiter.unlimited(),
                listener, RetryPolicy.fast(4));
    }

    private static FutureTask<DownloadResult> inBackground(Download d) {
        FutureTask<DownloadResult> task = new FutureTask<>(d::run);
        Thread t = new Thread(task, "test-link-download");
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static void awaitAtLeast(LongSupplier value, long min) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsLong() < min) {
            assertThat(System.nanoTime()).as("waiting for %d", min).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long done(Download d) {
        return d.parts().stream().mapToLong(PartView::done).sum();
    }

    private void assertExactAndClean(DownloadResult r, byte[] content) {
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(checkpoint).doesNotExist();
    }

    /** Pauses a download of the link once it holds at least {@code bytes}; returns what it had done. */
    private long pauseAfter(Download d, long bytes) throws Exception {
        FutureTask<DownloadResult> running = inBackground(d);
        awaitAtLeast(() -> done(d), bytes);
        d.pause();
        DownloadResult paused = running.get(20, TimeUnit.SECONDS);
        assertThat(paused.state()).as(paused.message()).isEqualTo(TransferState.PAUSED);
        return done(d);
    }

    @Test
    void aFileServerWithWeakEtagsGivesItsFileInParallelRangedPartsGuardedByLastModified() throws Exception {
        byte[] content = serveFile("big.bin", 6 * MIB + 123, 1);
        web = WebServer.serve(served);

        DownloadResult r = download(web.url("big.bin"), MIB, 4, TransferListener.NONE).run();

        assertExactAndClean(r, content);
        List<WebServer.Seen> parts = web.rangedGets().stream().filter(s -> !s.range().equals("bytes=0-0")).toList();
        assertThat(parts).hasSizeGreaterThanOrEqualTo(2);
        // Jetty's ETags are weak, so the parts are guarded by the Last-Modified date
        assertThat(r.info().etag()).startsWith("W/");
        assertThat(parts).allSatisfy(s -> {
            assertThat(s.ifRange()).isEqualTo(r.info().lastModified());
            assertThat(s.ifMatch()).isNull();
        });
        assertThat(r.fetched()).isEqualTo(content.length);
    }

    @Test
    void aPausedDownloadResumesFetchingOnlyWhatIsMissing() throws Exception {
        byte[] content = serveFile("big.bin", 8 * MIB, 2);
        web = WebServer.serve(served);
        Download first = download(web.url("big.bin"), MIB, 2, TransferListener.NONE);
        first.setRateLimit(2 * MIB);
        long kept = pauseAfter(first, 2 * MIB);
        assertThat(checkpoint).exists();
        web.reset();

        RecordingListener events = new RecordingListener();
        DownloadResult r = download(web.url("big.bin"), MIB, 4, events).run();

        assertExactAndClean(r, content);
        assertThat(r.reused()).isEqualTo(kept);
        assertThat(r.fetched()).isEqualTo(content.length - kept);
        assertThat(web.rangedGets()).noneSatisfy(s -> assertThat(s.range()).isEqualTo("bytes=0-"));
        assertThat(events.types()).contains(Type.RESUMED);
    }

    @Test
    void anExpiredLinkFailsClearlyAndAFreshLinkToTheSameFileContinuesTheDownload() throws Exception {
        byte[] content = serveFile("big.bin", 8 * MIB, 3);
        web = WebServer.serve(served);
        web.requireToken("first-secret-token");
        web.slowTo(2 * MIB);
        Download first = download(web.url("big.bin?token=first-secret-token"), MIB, 2, TransferListener.NONE);
        FutureTask<DownloadResult> running = inBackground(first);
        awaitAtLeast(() -> done(first), 2 * MIB);
        web.requireToken("second-secret-token"); // the first link expires mid-transfer
        web.dropConnections();
        DownloadResult expired = running.get(30, TimeUnit.SECONDS);

        assertThat(expired.state()).isEqualTo(TransferState.FAILED);
        assertThat(expired.message()).contains("HTTP 403").contains("expired").contains("fresh link")
                .doesNotContain("first-secret-token");
        assertThat(checkpoint).exists();
        assertThat(Files.readString(checkpoint)).doesNotContain("secret-token");
        long kept = CheckpointFiles.read(checkpoint, DownloadCheckpoint.class).completedBytes();
        assertThat(kept).isGreaterThanOrEqualTo(2 * MIB);
        web.reset();
        web.slowTo(0);

        DownloadResult r = download(web.url("big.bin?token=second-secret-token"), MIB, 4, TransferListener.NONE).run();

        assertExactAndClean(r, content);
        assertThat(r.reused()).isEqualTo(kept);
        assertThat(r.fetched()).isEqualTo(content.length - kept);
    }

    @Test
    void aFreshLinkToAFileThatChangedStartsOver() throws Exception {
        serveFile("big.bin", 4 * MIB, 4);
        web = WebServer.serve(served);
        Download first = download(web.url("big.bin?token=a"), MIB, 2, TransferListener.NONE);
        first.setRateLimit(MIB);
        pauseAfter(first, 512 * KIB);
        byte[] changed = replaceFile("big.bin", 5 * MIB, 5);

        RecordingListener events = new RecordingListener();
        DownloadResult r = download(web.url("big.bin?token=b"), MIB, 2, events).run();

        assertThat(r.info().size()).as(events.types().toString() + r.message()).isEqualTo(changed.length);
        assertExactAndClean(r, changed);
        assertThat(r.reused()).isZero();
        assertThat(events.messages(Type.CHECKPOINT_DISCARDED)).contains("changed");
    }

    @Test
    void aServerWithoutRangesGivesOneStreamThatResumesByReadingPastWhatIsKept() throws Exception {
        byte[] content = serveFile("whole.bin", 5 * MIB + 7, 6);
        web = WebServer.serveWithoutRanges(served);
        ObjectInfo info = new LinkStore(Link.parse(web.url("whole.bin")), http, RetryPolicy.fast(2))
                .head(Link.parse(web.url("whole.bin")).ref(), new CancelSignal());
        assertThat(info.rangeReads()).isFalse();
        assertThat(info.size()).isEqualTo(content.length);

        Download first = download(web.url("whole.bin"), MIB, 8, TransferListener.NONE);
        first.setRateLimit(2 * MIB);
        long kept = pauseAfter(first, MIB);
        assertThat(first.parts()).hasSize(1);
        web.reset();

        DownloadResult r = download(web.url("whole.bin"), MIB, 8, TransferListener.NONE).run();

        assertExactAndClean(r, content);
        assertThat(r.reused()).isEqualTo(kept);
        assertThat(web.rangedGets()).allSatisfy(s -> assertThat(s.range()).isEqualTo("bytes=0-0"));
    }

    @Test
    void theTempFileIsNeverMixedWhenTheServedFileChangesDuringTheDownload() throws Exception {
        serveFile("big.bin", 8 * MIB, 7);
        web = WebServer.serve(served);
        web.slowTo(2 * MIB);
        Download d = download(web.url("big.bin"), MIB, 2, TransferListener.NONE);
        FutureTask<DownloadResult> running = inBackground(d);
        awaitAtLeast(() -> done(d), MIB);
        replaceFile("big.bin", 8 * MIB, 8);
        web.dropConnections();

        DownloadResult r = running.get(30, TimeUnit.SECONDS);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.SOURCE_CHANGED);
        assertThat(r.message()).contains("changed");
        assertThat(dest).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(checkpoint).doesNotExist();
    }

    @Test
    void aStreamOfUnknownLengthIsKeptAcrossAPauseAndEndsWhereTheServerEndsIt() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 11, 9);
        try (mockwebserver3.MockWebServer stream = new mockwebserver3.MockWebServer()) {
            // a generated file: chunked, no length, no ranges, no validators
            stream.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return new mockwebserver3.MockResponse.Builder().code(200)
                            .chunkedBody(new okio.Buffer().write(content), 64 * KIB)
                            .throttleBody(256 * KIB, 100, TimeUnit.MILLISECONDS).build();
                }
            });
            stream.start();
            String url = stream.url("/generated?session=abc").toString();
            Download first = download(url, MIB, 8, TransferListener.NONE);
            long kept = pauseAfter(first, MIB);
            DownloadCheckpoint cp = CheckpointFiles.read(checkpoint, DownloadCheckpoint.class);
            assertThat(cp.expectedLength()).isEqualTo(-1);
            assertThat(cp.parts()).singleElement().satisfies(p -> assertThat(p.completed()).isEqualTo(kept));

            DownloadResult r = download(url, MIB, 8, TransferListener.NONE).run();

            assertExactAndClean(r, content);
            assertThat(r.reused()).isEqualTo(kept);
            assertThat(r.info().size()).isEqualTo(content.length);
        }
    }
}
