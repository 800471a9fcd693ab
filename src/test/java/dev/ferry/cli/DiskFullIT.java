package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/**
 * A full disk, for real: a small tmpfs mounted for the test (needs root, as on CI; skipped elsewhere).
 * The checkpoint lives on the ordinary disk, as FERRY_HOME usually does.
 */
class DiskFullIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    Path small;
    CliRunner cli;
    S3ProxyServer s3;
    String bucket;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        boolean mounted = p.waitFor() == 0;
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (not root?)");
        s3 = S3ProxyServer.get();
        cli = new CliRunner(Files.createDirectories(dir.resolve("home"))).env(s3.cliEnv());
        bucket = s3.newBucket();
    }

    @AfterEach
    void unmount() throws Exception {
        if (small != null) {
            new ProcessBuilder("umount", "-l", small.toString()).redirectErrorStream(true).start().waitFor();
        }
    }

    @Test
    void anObjectLargerThanTheFreeSpaceFailsAtOnceSayingSo() throws Exception {
        s3.put(bucket, "big.bin", TestData.bytes(12 * MIB, 1));
        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/big.bin", small.toString(),
                "--endpoint", s3.endpoint().toString());
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).contains("no space left on device").doesNotContain("\tat ");
        assertThat(small.resolve("big.bin")).doesNotExist();
        assertThat(cli.checkpoints()).hasSize(1);
    }

    @Test
    void aDiskThatFillsUpMidwayKeepsTheCheckpointAndResumesWhenThereIsRoom() throws Exception {
        byte[] content = TestData.bytes(6 * MIB, 2);
        s3.put(bucket, "obj.bin", content);
        String[] args = {"download", "s3://" + bucket + "/obj.bin", small.toString(), "--endpoint",
                s3.endpoint().toString(), "--part-size", "5MiB", "--json"};
        CliRunner.Running running = cli.start(CliRunner.concat(args, "--limit", "2MiB/s"));
        cli.awaitCheckpointBeyond(MIB, Duration.ofSeconds(30));
        Path filler = small.resolve("filler");
        try {
            Files.write(filler, new byte[6 * MIB]);
        } catch (IOException full) {
            // the filler took what the download left: that is the point
        }
        CliRunner.Result failed = running.await(Duration.ofSeconds(60));

        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
        assertThat(failed.stdout() + failed.stderr()).contains("no space left on device");
        DownloadCheckpoint cp = CheckpointFiles.read(cli.checkpoints().get(0), DownloadCheckpoint.class);
        long recorded = cp.completedBytes();
        assertThat(recorded).isGreaterThan(0);

        Files.delete(filler);
        CliRunner.Result resumed = cli.run(args);
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(TestData.sha256(small.resolve("obj.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(resumed.stdout()).contains("\"fetched\":" + (content.length - recorded));
        assertThat(cli.checkpoints()).isEmpty();
    }

}
