package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.testing.tos.TosState;

/**
 * Which uploads a copy takes for its own unrecorded ones, against the TOS test server, whose clock can be set
 * so that uploads carry chosen start times: only those of exactly the destination key, started no earlier
 * than the recorded time less the clock slack, without parts, and not the recorded upload.
 */
class UnrecordedUploadsTest {
    private static final String BUCKET = "dst";
    private static final ObjectRef DEST = ObjectRef.of(BUCKET, "dir/copy.bin");
    private final CancelSignal never = new CancelSignal();
    private TosTestServer server;
    private TosStore store;
    private Instant since;

    @BeforeEach
    void setUp() {
        server = new TosTestServer();
        server.createBucket(BUCKET).createBucket("src");
        store = server.store();
        since = Instant.now();
    }

    @AfterEach
    void tearDown() {
        store.close();
        server.close();
    }

    @Test
    void abortsOnlyPartlessUploadsOfTheKeyStartedSinceTheRecordedTime() throws Exception {
        String tooEarly = createAt(DEST, since.minus(UnrecordedUploads.CLOCK_SLACK).minusSeconds(1));
        String withinSlack = createAt(DEST, since.minus(UnrecordedUploads.CLOCK_SLACK).plusSeconds(1));
        String after = createAt(DEST, since.plusSeconds(3));
        String recorded = createAt(DEST, since.plusSeconds(4));
        String otherKey = createAt(ObjectRef.of(BUCKET, DEST.key() + ".bak"), since.plusSeconds(5));
        String withParts = createAt(DEST, since.plusSeconds(6));
        server.putObject("src", "s.bin", TestData.bytes(1000, 1));
        store.uploadPartCopy(DEST, withParts, 1, ObjectRef.of("src", "s.bin"), 0, 999, null, never);

        UnrecordedUploads.Sweep sweep = UnrecordedUploads.sweep(store, DEST, since, recorded, never);

        assertThat(sweep.aborted()).containsExactlyInAnyOrder(withinSlack, after);
        assertThat(sweep.spared()).containsExactly(withParts);
        assertThat(server.uploads()).extracting(TosState.Upload::id)
                .containsExactlyInAnyOrder(tooEarly, recorded, otherKey, withParts);
    }

    @Test
    void nothingToFindIsNoError() throws Exception {
        UnrecordedUploads.Sweep sweep = UnrecordedUploads.sweep(store, DEST, since, null, never);

        assertThat(sweep.aborted()).isEmpty();
        assertThat(sweep.spared()).isEmpty();
    }

    private String createAt(ObjectRef ref, Instant serverTime) throws Exception {
        server.clock(Clock.fixed(serverTime, ZoneOffset.UTC));
        try {
            return store.createMultipartUpload(ref, Map.of(), never);
        } finally {
            server.clock(Clock.systemUTC());
        }
    }
}
