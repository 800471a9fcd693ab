package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/** The real `ferry` command line, in a child JVM, against a real S3 server. */
class CliS3IT extends CliS3Test {
    @Test
    void downloadsToFolderAndReportsJsonResult() throws Exception {
        byte[] content = TestData.bytes(11 * MIB + 7, 11);
        s3.put(bucket, "a/b/data.bin", content);
        Path out = Files.createDirectories(dir.resolve("out"));

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/a/b/data.bin", out.toString(),
                "--endpoint", endpoint, "--part-size", "5MiB", "--connections", "3", "--json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(out.resolve("data.bin"))).isEqualTo(TestData.sha256(content));
        JsonNode result = lastOfType(r, "result");
        assertThat(result.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("fetched").asLong()).isEqualTo(content.length);
        assertThat(eventsOf(r, "PART_SUCCEEDED")).hasSize(3);
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(out.resolve("data.bin.ferry-partial")).doesNotExist();
    }

    @Test
    void resumesAfterKillDashNineWithoutFetchingFinishedPartsAgain() throws Exception {
        byte[] content = TestData.bytes(24 * MIB + 321, 12);
        s3.put(bucket, "big.bin", content);
        Path dest = dir.resolve("big.bin");
        String[] args = {"download", "s3://" + bucket + "/big.bin", dest.toString(), "--endpoint", endpoint,
                "--part-size", "5MiB", "--connections", "2", "--json"};

        long lastRecorded = 0;
        DownloadCheckpoint cp = null;
        for (int kill = 1; kill <= 3; kill++) {
            CliRunner.Running running = cli.start(CliRunner.concat(args, "--limit", "6MiB/s"));
            cli.awaitCheckpointBeyond(lastRecorded + 4L * MIB, Duration.ofSeconds(30));
            running.kill9();
            cp = CheckpointFiles.read(onlyCheckpoint(), DownloadCheckpoint.class);
            assertThat(cp.completedBytes()).as("progress survives kill %d", kill).isGreaterThan(lastRecorded);
            lastRecorded = cp.completedBytes();
        }
        assertThat(dest).doesNotExist();
        Set<Integer> donePartsAtKill = new HashSet<>();
        cp.parts().stream().filter(DownloadCheckpoint.Part::isDone).forEach(p -> donePartsAtKill.add(p.number()));
        assertThat(donePartsAtKill).isNotEmpty();

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        JsonNode result = lastOfType(r, "result");
        assertThat(result.get("fetched").asLong()).isEqualTo(content.length - lastRecorded);
        assertThat(result.get("reused").asLong()).isEqualTo(lastRecorded);
        for (JsonNode e : eventsOf(r, "PART_SUCCEEDED")) {
            assertThat(donePartsAtKill).doesNotContain(e.get("part").asInt());
        }
        assertThat(eventsOf(r, "RESUMED")).hasSize(1);
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void sigtermPausesWithExitThreeThenStatusAndCancelWork() throws Exception {
        byte[] content = TestData.bytes(12 * MIB, 13);
        s3.put(bucket, "p.bin", content);
        Path dest = dir.resolve("p.bin");
        CliRunner.Running running = cli.start("download", "s3://" + bucket + "/p.bin", dest.toString(),
                "--endpoint", endpoint, "--part-size", "5MiB", "--limit", "2MiB/s");
        cli.awaitCheckpointBeyond(MIB, Duration.ofSeconds(30));
        running.terminate();
        CliRunner.Result paused = running.await(Duration.ofSeconds(30));

        assertThat(paused.exitCode()).as(paused.stderr()).isEqualTo(3);
        assertThat(paused.stderr()).contains("paused");
        assertThat(Path.of(dest + ".ferry-partial")).exists();
        assertThat(cli.checkpoints()).hasSize(1);
        assertThat(Files.readString(cli.checkpoints().get(0))).contains("\"completed\"")
                .doesNotContain(s3.credentials().secretAccessKey());

        CliRunner.Result status = cli.run("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).contains("s3://" + bucket + "/p.bin").contains(dest.toString()).contains("%");
        assertThat(status.stdout()).doesNotContain(s3.credentials().secretAccessKey());

        CliRunner.Result cancelled = cli.run("download", "s3://" + bucket + "/p.bin", dest.toString(),
                "--endpoint", endpoint, "--cancel");
        assertThat(cancelled.exitCode()).as(cancelled.stderr()).isZero();
        assertThat(Path.of(dest + ".ferry-partial")).doesNotExist();
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(cli.run("status").stdout()).contains("no resumable transfers");
    }

    @Test
    void limitSlowsTheDownloadToTheRate() throws Exception {
        byte[] content = TestData.bytes(6 * MIB, 14);
        s3.put(bucket, "slow.bin", content);
        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/slow.bin", dir.resolve("slow.bin").toString(),
                "--endpoint", endpoint, "--limit", "2MiB/s", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        double seconds = lastOfType(r, "result").get("seconds").asDouble();
        // 6 MiB at 2 MiB/s: about 3 s, less the 50 ms burst the bucket allows
        assertThat(seconds).isBetween(2.7, 4.5);
        assertThat(TestData.sha256(dir.resolve("slow.bin"))).isEqualTo(TestData.sha256(content));
    }

    @Test
    void wrongSecretIsAClearOneLineErrorWithExitTwo() throws Exception {
        s3.put(bucket, "k", TestData.bytes(10, 1));
        String wrong = "not-the-secret-" + System.nanoTime();
        CliRunner.Result r = cli.env("AWS_SECRET_ACCESS_KEY", wrong)
                .run("download", "s3://" + bucket + "/k", dir.resolve("k").toString(), "--endpoint", endpoint);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("SignatureDoesNotMatch").doesNotContain(wrong).doesNotContain("\tat ");
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(dir.resolve("k")).doesNotExist();
    }

    @Test
    void missingObjectAndBucketAreClearErrors() throws Exception {
        CliRunner.Result noKey = cli.run("download", "s3://" + bucket + "/nope.bin", dir.toString(),
                "--endpoint", endpoint);
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.stderr()).contains("NoSuchKey").doesNotContain("\tat ");

        CliRunner.Result noBucket = cli.run("download", "s3://no-such-bucket-xyz/k", dir.toString(),
                "--endpoint", endpoint);
        assertThat(noBucket.exitCode()).isEqualTo(2);
        assertThat(noBucket.stderr()).contains("NoSuchBucket");
    }

    @Test
    void badInputGetsOneLineErrorsAndExitTwo() throws Exception {
        s3.put(bucket, "k", TestData.bytes(10, 1));
        String src = "s3://" + bucket + "/k";
        assertUsageError(cli.run("download", "http//broken", "--endpoint", endpoint), "not an S3 or TOS URI");
        assertUsageError(cli.run("download", src, "--endpoint", endpoint, "--profile", "ghost"), "unknown profile 'ghost'");
        assertUsageError(cli.run("download", src, "--endpoint", endpoint, "--part-size", "1MiB"), "--part-size");
        assertUsageError(cli.run("download", src, "--endpoint", endpoint, "--limit", "fast"), "invalid rate");
        assertUsageError(cli.run("download", src, dir.resolve("missing/dir/k").toString(), "--endpoint", endpoint),
                "destination folder does not exist");
        assertUsageError(cli.run("download", src, "--endpoint", "localhost:9000"), "invalid endpoint");
        CliRunner noCreds = new CliRunner(Files.createDirectories(dir.resolve("empty-home")));
        assertUsageError(noCreds.run("download", src, "--endpoint", endpoint), "no credentials");
    }

    @Test
    void existingDestinationNeedsOverwrite() throws Exception {
        byte[] content = TestData.bytes(1000, 3);
        s3.put(bucket, "f.txt", content);
        Path dest = Files.writeString(dir.resolve("f.txt"), "keep me");
        assertUsageError(cli.run("download", "s3://" + bucket + "/f.txt", dest.toString(), "--endpoint", endpoint),
                "already exists");
        assertThat(Files.readString(dest)).isEqualTo("keep me");

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/f.txt", dest.toString(), "--endpoint", endpoint,
                "--overwrite");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(dest)).isEqualTo(content);
    }

    @Test
    void prefixDownloadRecreatesTheTreeInsideTheFolder() throws Exception {
        s3.put(bucket, "pre/a.txt", "A".getBytes());
        s3.put(bucket, "pre/sub/b.txt", "B".getBytes());
        s3.put(bucket, "pre/sub/deeper/c.bin", TestData.bytes(6 * MIB + 1, 5));
        s3.put(bucket, "other/x.txt", "X".getBytes());
        Path out = dir.resolve("tree");

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/pre/", out.toString(), "--endpoint", endpoint,
                "--part-size", "5MiB");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readString(out.resolve("a.txt"))).isEqualTo("A");
        assertThat(Files.readString(out.resolve("sub/b.txt"))).isEqualTo("B");
        assertThat(TestData.sha256(out.resolve("sub/deeper/c.bin")))
                .isEqualTo(TestData.sha256(TestData.bytes(6 * MIB + 1, 5)));
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("x.txt"))).isEmpty();
        }

        CliRunner.Result again = cli.run("download", "s3://" + bucket + "/pre/", out.toString(), "--endpoint", endpoint);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("already there");
    }

    @Test
    void lsShowsFoldersAndObjects() throws Exception {
        s3.put(bucket, "top.txt", "12345".getBytes());
        s3.put(bucket, "folder/inner.txt", "1".getBytes());
        CliRunner.Result r = cli.run("ls", "s3://" + bucket + "/", "--endpoint", endpoint);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("PRE folder/").containsPattern("\\s5 top\\.txt");
        assertThat(r.stdout()).doesNotContain("inner.txt");

        CliRunner.Result rec = cli.run("ls", "s3://" + bucket, "--endpoint", endpoint, "--recursive", "--json");
        assertThat(rec.stdoutLines()).hasSize(2).allSatisfy(l -> assertThat(JSON.readTree(l).get("type").asText())
                .isEqualTo("object"));
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : new String[]{"download", "copy", "ls", "status"}) {
            CliRunner.Result r = cli.run(command, "--help");
            assertThat(r.exitCode()).as(command + ": " + r.stderr()).isZero();
            assertThat(r.stdout()).as(command).contains("Usage: ferry " + command);
        }
        CliRunner.Result top = cli.run("--help");
        assertThat(top.stdout()).contains("download").contains("copy").contains("ls").contains("status");
    }

    // ------------------------------------------------------------------ helpers

    private static void assertUsageError(CliRunner.Result r, String message) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains(message).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private Path onlyCheckpoint() throws IOException {
        List<Path> files = cli.checkpoints();
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static JsonNode lastOfType(CliRunner.Result r, String type) throws IOException {
        JsonNode last = null;
        for (String line : r.stdoutLines()) {
            JsonNode n = JSON.readTree(line);
            if (type.equals(n.path("type").asText())) {
                last = n;
            }
        }
        assertThat(last).as("a %s line in %s", type, r.stdout()).isNotNull();
        return last;
    }

    private static List<JsonNode> eventsOf(CliRunner.Result r, String event) throws IOException {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : r.stdoutLines()) {
            JsonNode n = JSON.readTree(line);
            if ("event".equals(n.path("type").asText()) && event.equals(n.path("event").asText())) {
                out.add(n);
            }
        }
        return out;
    }

}
