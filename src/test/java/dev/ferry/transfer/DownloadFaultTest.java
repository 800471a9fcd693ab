package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.FakeS3;
import dev.ferry.testing.FakeS3.Call;
import dev.ferry.testing.RecordingListener;
import dev.ferry.testing.SigV4Check;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.limit.RateLimiter;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/** The download engine against a server that misbehaves on cue. */
class DownloadFaultTest {
    /** Not a multiple of the engine's read buffer, so a cut body ends inside a buffer. */
    private static final int PART = 1_000_000;
    private static final byte[] CONTENT = TestData.bytes(3 * PART + 4321, 7);
    private static final int PART_ATTEMPTS = 4;
    /** Parts in CONTENT; with this many connections every part is a run of its own, one request each. */
    private static final int PARTS = 4;

    @TempDir
    Path dir;
    private FakeS3 s3;
    private Path dest;
    private Path checkpoint;

    @BeforeEach
    void start() throws Exception {
        s3 = new FakeS3(CONTENT);
        dest = dir.resolve("obj.bin");
        checkpoint = dir.resolve("cp.json");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    // ------------------------------------------------------------------ helpers

    private DownloadRequest request(int connections) {
        return DownloadRequest.of(ObjectRef.of(FakeS3.BUCKET, FakeS3.KEY), dest).withPartSize(PART)
                .withConnections(connections).withCheckpoint(checkpoint);
    }

    private Download download(DownloadRequest req, RecordingListener listener) {
        S3Store store = s3.store(RetryPolicy.fast(3));
        return new Download(store, req, RateLimiter.unlimited(), listener, RetryPolicy.fast(PART_ATTEMPTS));
    }

    private DownloadResult run(DownloadRequest req, RecordingListener listener) {
        return download(req, listener).run();
    }

    /** Answers the first request for the range starting at {@code start} differently. */
    private static FakeS3.Fault firstAt(long start, Function<Call, MockResponse> answer) {
        AtomicBoolean used = new AtomicBoolean();
        return c -> c.start() == start && used.compareAndSet(false, true) ? answer.apply(c) : null;
    }

    private List<Call> requestsFor(int part) {
        long end = Math.min((long) part * PART, CONTENT.length) - 1;
        return s3.rangedGets().stream().filter(c -> c.end() == end).toList();
    }

    private void assertExactAndClean(DownloadResult r) {
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(CONTENT));
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(checkpoint).doesNotExist();
    }

    private void assertEveryRequestSignedForItsOwnTime() {
        assertThat(s3.calls()).isNotEmpty().allSatisfy(c ->
                assertThat(SigV4Check.problem(c.request(), FakeS3.CREDENTIALS, "us-east-1")).isNull());
    }

    private static List<TransferEvent> forPart(List<TransferEvent> events, int part) {
        return events.stream().filter(e -> e.part() == part).toList();
    }

    private DownloadCheckpoint readCheckpoint() throws Exception {
        return CheckpointFiles.read(checkpoint, DownloadCheckpoint.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void oneConnectionStreamsEveryPartThroughOneRequest() {
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(1), events);

        assertExactAndClean(r);
        assertThat(s3.rangedGets()).singleElement().satisfies(c -> {
            assertThat(c.start()).isZero();
            assertThat(c.end()).isEqualTo(CONTENT.length - 1);
        });
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aBodyCutMidRunIsResumedFromTheCutByteToTheEndOfTheRun() {
        s3.fault(firstAt(0, c -> new MockResponse.Builder(s3.object(c))
                .onResponseBody(new SocketEffect.CloseSocket()).build()));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(1), events);

        assertExactAndClean(r);
        List<Call> gets = s3.rangedGets();
        assertThat(gets).hasSize(2);
        // MockWebServer cuts after half the body: inside part 2, which continues from exactly there
        assertThat(gets.get(1).start()).isEqualTo(CONTENT.length / 2);
        assertThat(gets.get(1).end()).isEqualTo(CONTENT.length - 1);
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anIdleConnectionTakesOverTheUnstartedPartsOfASlowOne() {
        // the run [part 1, part 2] is served slowly; the run [part 3, part 4] fast
        s3.fault(firstAt(0, c -> new MockResponse.Builder(s3.object(c))
                .throttleBody(64 << 10, 50, TimeUnit.MILLISECONDS).build()));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(2), events);

        assertExactAndClean(r);
        assertThat(s3.rangedGets()).anySatisfy(c -> {
            assertThat(c.start()).isEqualTo(PART);
            assertThat(c.end()).isEqualTo(2L * PART - 1);
        });
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
        // far slower than the fast run, the slow connection may also be taken off part 1: a takeover adds a part
        List<Integer> succeeded = events.events(Type.PART_SUCCEEDED).stream().map(TransferEvent::part).toList();
        assertThat(succeeded).contains(1, 2, 3, 4).doesNotHaveDuplicates();
        assertThat(events.events(Type.PART_SPLIT)).hasSize(succeeded.size() - 4)
                .allSatisfy(e -> assertThat(e.message()).contains("takes over from a slow one"));
    }

    @Test
    void bodyCutMidPartIsFetchedAgainFromWhereItStopped() {
        s3.fault(firstAt(PART, c -> new MockResponse.Builder(s3.object(c))
                .onResponseBody(new SocketEffect.CloseSocket()).build()));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertExactAndClean(r);
        List<Call> part2 = requestsFor(2);
        assertThat(part2).hasSize(2);
        assertThat(part2.get(0).start()).isEqualTo(PART);
        long resumedAt = part2.get(1).start();
        // MockWebServer cuts the body after half its bytes; all of them were kept
        assertThat(resumedAt).isEqualTo(PART + PART / 2);
        // every byte that arrived before the cut was kept: nothing crossed the network twice
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
        assertThat(forPart(events.events(Type.PART_FAILED), 2)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("retrying from byte " + resumedAt));
        assertThat(events.events(Type.PART_SUCCEEDED)).hasSize(4);
        assertEveryRequestSignedForItsOwnTime();
    }

    @Test
    void slowDownWithRetryAfterIsWaitedOutAndResigned() {
        s3.fault(firstAt(PART, c -> new MockResponse.Builder(
                FakeS3.error(503, "SlowDown", "Please reduce your request rate.")).setHeader("Retry-After", "1").build()));

        DownloadResult r = run(request(PARTS), new RecordingListener());

        assertExactAndClean(r);
        List<Call> part2 = requestsFor(2);
        assertThat(part2).hasSize(2).allSatisfy(c -> assertThat(c.start()).isEqualTo(PART));
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(part2.get(1).nanos() - part2.get(0).nanos());
        assertThat(waitedMillis).isGreaterThanOrEqualTo(950);
        assertThat(part2.get(1).header("x-amz-date")).isNotEqualTo(part2.get(0).header("x-amz-date"));
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
        assertEveryRequestSignedForItsOwnTime();
    }

    @Test
    void internalErrorThenSuccess() {
        s3.fault(firstAt(2L * PART, c -> FakeS3.error(500, "InternalError", "We encountered an internal error.")));

        DownloadResult r = run(request(PARTS), new RecordingListener());

        assertExactAndClean(r);
        assertThat(requestsFor(3)).hasSize(2);
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
        assertEveryRequestSignedForItsOwnTime();
    }

    @Test
    void preconditionFailedMidDownloadDiscardsEverything() {
        AtomicBoolean checkpointExistedBefore412 = new AtomicBoolean();
        s3.fault(c -> {
            if (c.start() == PART) {
                // late enough for the other parts to finish and the checkpointer to record them
                sleep(700);
                checkpointExistedBefore412.set(Files.exists(checkpoint));
                return FakeS3.error(412, "PreconditionFailed", "At least one of the pre-conditions did not hold");
            }
            return null;
        });
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.SOURCE_CHANGED);
        assertThat(checkpointExistedBefore412).isTrue();
        assertThat(checkpoint).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(dest).doesNotExist();
        assertThat(requestsFor(2)).hasSize(1).allSatisfy(c -> assertThat(c.header("If-Match")).isEqualTo(FakeS3.ETAG));
        assertThat(events.types()).last().isEqualTo(Type.FAILED);
    }

    /** A server that ignores If-Match and answers from a newer version of the object. */
    private static MockResponse newerVersion(Call c, byte[] newer, String etag) {
        return new MockResponse.Builder().code(206).setHeader("ETag", etag)
                .setHeader("Content-Range", "bytes " + c.start() + "-" + c.end() + "/" + newer.length)
                .body(new Buffer().write(newer, (int) c.start(), (int) (c.end() - c.start() + 1))).build();
    }

    @Test
    void aServerIgnoringIfMatchStillCannotMixTwoVersions() {
        byte[] newer = TestData.bytes(CONTENT.length, 8);
        s3.fault(c -> c.isRangedGet() && c.start() >= PART ? newerVersion(c, newer, "\"new-version-3\"") : null);
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.SOURCE_CHANGED);
        assertThat(r.message()).contains("ETag");
        // the first answer from the other version stops the download: no part is asked for twice
        assertThat(s3.rangedGets()).anySatisfy(c -> assertThat(c.start()).isGreaterThanOrEqualTo(PART));
        for (int part = 1; part <= PARTS; part++) {
            assertThat(requestsFor(part)).as("part %d", part).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(checkpoint).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(dest).doesNotExist();
    }

    @Test
    void anAnswerStatingAnotherObjectSizeIsASourceChange() {
        byte[] longer = TestData.bytes(CONTENT.length + 10, 7); // same leading bytes, same (stale) ETag
        s3.fault(c -> c.isRangedGet() && c.start() >= PART ? newerVersion(c, longer, FakeS3.ETAG) : null);

        DownloadResult r = run(request(PARTS), new RecordingListener());

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.SOURCE_CHANGED);
        assertThat(r.message()).contains("size " + CONTENT.length + " is now " + longer.length);
        assertThat(checkpoint).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
    }

    @Test
    void aRangeAnswerForOtherBytesIsNeverWrittenAndIsRetried() {
        s3.fault(firstAt(PART, c -> s3.partial(0, PART - 1, 0, PART - 1)));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertExactAndClean(r);
        assertThat(requestsFor(2)).hasSize(2);
        assertThat(forPart(events.events(Type.PART_FAILED), 2)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("Content-Range"));
        assertThat(r.fetched()).isEqualTo(CONTENT.length);
    }

    @Test
    void aRangeAnswerThatIsAlwaysWrongFailsWithoutWritingIt() throws Exception {
        s3.fault(c -> {
            if (c.start() != PART) {
                return null;
            }
            sleep(150); // part 1 finishes before part 2 gives up
            return s3.partial(0, PART - 1, 0, PART - 1);
        });
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertThat(r.state()).isEqualTo(TransferState.FAILED);
        assertThat(r.failureKind()).isEqualTo(FailureKind.TRANSIENT);
        assertThat(dest).doesNotExist();
        assertThat(requestsFor(2)).hasSize(PART_ATTEMPTS);
        DownloadCheckpoint cp = readCheckpoint();
        assertThat(cp.parts().get(0).completed()).isEqualTo(PART);
        assertThat(cp.parts().get(1).completed()).isZero();
        // the wrong bytes are not in the temp file where part 2 belongs
        byte[] temp = Files.readAllBytes(DownloadRequest.tempFileFor(dest));
        assertThat(java.util.Arrays.copyOfRange(temp, PART, 2 * PART)).containsOnly(0);
        assertThat(events.messages(Type.PART_FAILED)).contains("giving up after " + PART_ATTEMPTS + " attempts");
    }

    @Test
    void aFullBodyToARangeRequestIsNotWrittenAtTheWrongOffset() {
        s3.fault(firstAt(2L * PART, c -> s3.base(200).body(new Buffer().write(CONTENT)).build()));
        RecordingListener events = new RecordingListener();

        DownloadResult r = run(request(PARTS), events);

        assertExactAndClean(r);
        assertThat(requestsFor(3)).hasSize(2);
        assertThat(forPart(events.events(Type.PART_FAILED), 3)).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("HTTP 200"));
    }

    @Test
    void aChunkedFullBodyToTheFirstRangeUsesOnlyThatRange() {
        s3.fault(firstAt(0, c -> s3.base(200).chunkedBody(new Buffer().write(CONTENT), 64 << 10).build()));

        DownloadResult r = run(request(PARTS), new RecordingListener());

        assertExactAndClean(r);
        assertThat(requestsFor(1)).hasSize(1);
    }

    @Test
    void forbiddenMidTransferFailsKeepingTheCheckpointThenResumes() throws Exception {
        s3.fault(c -> {
            if (c.start() >= PART) {
                sleep(300); // part 1 finishes first
                return FakeS3.error(403, "AccessDenied", "Access Denied");
            }
            return null;
        });

        DownloadResult failed = run(request(PARTS), new RecordingListener());

        assertThat(failed.state()).isEqualTo(TransferState.FAILED);
        assertThat(failed.message()).contains("AccessDenied");
        assertThat(failed.failureKind()).isEqualTo(FailureKind.INPUT);
        assertThat(requestsFor(2)).isNotEmpty();
        assertThat(dest).doesNotExist();
        assertThat(DownloadRequest.tempFileFor(dest)).exists();
        DownloadCheckpoint cp = readCheckpoint();
        assertThat(cp.parts()).extracting(DownloadCheckpoint.Part::completed).containsExactly((long) PART, 0L, 0L, 0L);

        s3.fault(c -> null);
        RecordingListener events = new RecordingListener();
        DownloadResult resumed = run(request(PARTS), events);

        assertExactAndClean(resumed);
        assertThat(resumed.reused()).isEqualTo(PART);
        assertThat(resumed.fetched()).isEqualTo(CONTENT.length - PART);
        assertThat(events.types()).contains(Type.RESUMED);
        assertThat(events.events(Type.PART_SUCCEEDED)).extracting(TransferEvent::part).containsExactlyInAnyOrder(2, 3, 4);
    }

    @Test
    void cancelDuringBackOffIsPromptAndDeletesEverything() throws Exception {
        s3.fault(c -> c.start() == 0 ? new MockResponse.Builder(FakeS3.error(503, "SlowDown", "slow"))
                .setHeader("Retry-After", "5").build() : null);
        Download d = download(request(PARTS), new RecordingListener());
        FutureTask<DownloadResult> running = new FutureTask<>(d::run);
        new Thread(running, "test-download").start();
        while (requestsFor(1).isEmpty()) {
            Thread.sleep(10);
        }
        Thread.sleep(100);

        long t0 = System.nanoTime();
        d.cancel();
        DownloadResult r = running.get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1500);
        assertThat(r.state()).isEqualTo(TransferState.CANCELLED);
        assertThat(DownloadRequest.tempFileFor(dest)).doesNotExist();
        assertThat(checkpoint).doesNotExist();
        assertThat(dest).doesNotExist();
        assertThat(requestsFor(1)).hasSize(1);
    }
}
