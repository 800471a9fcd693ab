package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.tos.TosStore;
import dev.ferry.storage.tos.TrafficLimit;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.transfer.limit.RateLimiter;

/** A transfer's own limit reaches a server that can throttle (TOS), on the requests that carry its data. */
class ServerThrottlingIT {
    private static final int MIB = 1 << 20;
    private static final String LIMIT = "x-tos-traffic-limit";

    @TempDir
    Path dir;
    TosTestServer server;
    TosStore store;

    @BeforeEach
    void start() {
        server = new TosTestServer();
        server.createBucket("b");
        server.createBucket("d");
        server.minPartSize(MIB);
        store = server.store(RetryPolicy.fast(4));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> limitsOn(String method, String query) {
        return server.requests().stream()
                .filter(r -> r.call().method().equals(method) && r.call().query().containsKey(query))
                .map(r -> r.call().header(LIMIT)).toList();
    }

    @Test
    void aLimitedDownloadAsksTheServerForItsShareOnEveryRead() throws Exception {
        byte[] content = TestData.bytes(3 * MIB, 51);
        server.putObject("b", "o.bin", content);
        long limit = 32L * MIB;
        DownloadResult r = new Download(store, DownloadRequest.of(ObjectRef.of("b", "o.bin"), dir.resolve("o.bin"))
                .withPartSize(MIB).withConnections(2).withRateLimit(limit), RateLimiter.unlimited(), null).run();
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(TestData.sha256(dir.resolve("o.bin"))).isEqualTo(TestData.sha256(content));
        List<String> gets = server.requests().stream().filter(x -> x.call().isObjectGet())
                .map(x -> x.call().header(LIMIT)).toList();
        assertThat(gets).isNotEmpty().containsOnly(Long.toString(TrafficLimit.perConnection(limit, 2)));
    }

    @Test
    void anUnlimitedDownloadSendsNoLimit() throws Exception {
        server.putObject("b", "o.bin", TestData.bytes(MIB, 52));
        DownloadResult r = new Download(store, DownloadRequest.of(ObjectRef.of("b", "o.bin"), dir.resolve("o.bin")),
                RateLimiter.unlimited(), null).run();
        assertThat(r.state()).isEqualTo(TransferState.COMPLETED);
        assertThat(server.requests().stream().filter(x -> x.call().isObjectGet()).map(x -> x.call().header(LIMIT)))
                .isNotEmpty().containsOnlyNulls();
    }

    @Test
    void aCopysOwnLimitInTheQueueReachesTheServer() throws Exception {
        server.putObject("b", "q.bin", TestData.bytes(2 * MIB + 9, 54));
        try (dev.ferry.transfer.queue.TransferService service = dev.ferry.transfer.queue.TransferService.atHome(
                connection -> store, dir.resolve("home"))) {
            long id = service.add(new dev.ferry.transfer.queue.TransferSpec.Copy("tos", ObjectRef.of("b", "q.bin"),
                    ObjectRef.of("d", "q.bin"), MIB, 1), true);
            service.setLimit(id, 48L * MIB);
            service.resume(id);
            dev.ferry.testing.Await.until("the copy", () -> service.snapshot(id).orElseThrow().state().isTerminal());
            assertThat(service.snapshot(id).orElseThrow().state()).isEqualTo(TransferState.COMPLETED);
        }
        assertThat(limitsOn("PUT", "partNumber")).hasSize(3)
                .containsOnly(Long.toString(TrafficLimit.perConnection(48L * MIB, 1)));
    }

    @Test
    void aLimitedCopyIsThrottledByTheServerOnEveryPartCopy() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 1, 53);
        server.putObject("b", "src.bin", content);
        long limit = 64L * MIB;
        CopyResult r = new Copy(store, CopyRequest.of(ObjectRef.of("b", "src.bin"), ObjectRef.of("d", "dst.bin"))
                .withPartSize(MIB).withConnections(2).withRateLimit(limit), null).run();
        assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        assertThat(server.object("d", "dst.bin").orElseThrow().content()).isEqualTo(content);
        assertThat(limitsOn("PUT", "partNumber")).hasSize(4)
                .containsOnly(Long.toString(TrafficLimit.perConnection(limit, 2)));
        assertThat(limitsOn("POST", "uploads")).containsOnlyNulls(); // only the data-carrying requests
    }
}
