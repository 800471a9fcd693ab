package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.limit.RateLimiter;
import dev.ferry.transfer.event.TransferListener;

class DownloadS3IT {
    @TempDir
    Path dir;

    @Test
    void downloadsMultiPartObjectByteExact() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket();
        byte[] content = TestData.bytes(3 * (1 << 20) + 12345, 1);
        s3.put(bucket, "dir/obj.bin", content);
        Path dest = dir.resolve("obj.bin");
        try (S3Store store = s3.store()) {
            DownloadRequest req = DownloadRequest.of(ObjectRef.of(bucket, "dir/obj.bin"), dest)
                    .withPartSize(1 << 20).withConnections(4).withCheckpoint(dir.resolve("cp.json"));
            DownloadResult r = new Download(store, req, RateLimiter.unlimited(), TransferListener.NONE).run();
            assertThat(r.state()).as(r.message()).isEqualTo(TransferState.COMPLETED);
        }
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(Files.exists(dir.resolve("cp.json"))).isFalse();
        assertThat(Files.exists(DownloadRequest.tempFileFor(dest))).isFalse();
    }
}
