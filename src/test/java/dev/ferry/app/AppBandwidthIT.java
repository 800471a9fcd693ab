package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileDraft;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.SecretStores;
import dev.ferry.storage.ObjectRef;
import dev.ferry.testing.Await;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSpec;

/**
 * The app's global limit, and a transfer's own, hold what the link carries from a download's first moment. Without
 * capped kernel receive buffers, each of a download's eight connections would take megabytes at the link's full
 * speed (on loopback, at once) while the limiter waits; the proxy in front of the server counts what it hands the
 * client.
 */
class AppBandwidthIT {
    private static final int KIB = 1 << 10;
    private static final int MIB = 1 << 20;
    private static final long LIMIT = 256 * KIB;

    @TempDir
    Path dir;

    @Test
    void aDownloadUnderTheGlobalLimitStartsWithoutABurst() throws Exception {
        downloadStartsWithoutABurst(true);
    }

    @Test
    void aDownloadUnderItsOwnLimitStartsWithoutABurst() throws Exception {
        downloadStartsWithoutABurst(false);
    }

    /** Holds a download of 24 MiB to {@link #LIMIT} (the global limit, or its own), then lifts the limit. */
    private void downloadStartsWithoutABurst(boolean global) throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket();
        byte[] content = TestData.bytes(24 * MIB, 41);
        s3.put(bucket, "big.bin", content);
        try (FaultProxy proxy = new FaultProxy(s3.endpoint(), 41).sendBuffer(16 * KIB)) {
            Path home = Files.createDirectories(dir.resolve("home"));
            ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home));
            ConnectionProfile profile = profiles.add(ProfileDraft.empty().withName("through the proxy")
                    .withEndpoint(proxy.endpoint().toString()).withPathStyle(true)
                    .withAccessKeyId(s3.credentials().accessKeyId())
                    .withSecretAccessKey(s3.credentials().secretAccessKey()));
            AppContext context = AppContext.open(home, Map.of(
                    "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                    "AWS_CONFIG_FILE", dir.resolve("none").toString()));
            try {
                TransferService service = context.service();
                Path file = dir.resolve("big.bin");
                // added paused, so it starts under the limit
                long id = service.add(TransferSpec.Download.of(profile.id(), ObjectRef.of(bucket, "big.bin"), file),
                        true);
                if (global) {
                    service.setGlobalLimit(LIMIT);
                } else {
                    service.setLimit(id, LIMIT);
                }
                long started = System.nanoTime();
                service.resume(id);
                Await.until("bytes flowing", () -> proxy.bytesDown() > 0);
                Thread.sleep(1500);
                long down = proxy.bytesDown();
                double seconds = (System.nanoTime() - started) / 1e9;

                // the limit over the time, the limiter's own 50 ms, and what eight capped buffers (32 KiB asked,
                // up to twice that granted) and the proxy's send buffers hold: about 1 MiB beside the limit, where
                // the kernel's own tuning lets each connection take several MiB
                long allowed = (long) (LIMIT * seconds) + 8 * (64 * KIB + 16 * KIB) + 256 * KIB;
                assertThat(down).as("bytes the link carried in %.2f s under %d B/s", seconds, LIMIT)
                        .isLessThan(allowed);

                // lifted, the download finishes, exact (WideReadSocketsTest shows new connections are then uncapped)
                if (global) {
                    service.setGlobalLimit(0);
                } else {
                    service.setLimit(id, 0);
                }
                Await.until("done", () -> service.snapshot(id).orElseThrow().state() == TransferState.COMPLETED);
                assertThat(TestData.sha256(file)).isEqualTo(TestData.sha256(content));
            } finally {
                context.close();
            }
        }
    }
}
