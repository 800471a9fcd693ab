package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.testing.CliRunner;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;

/** `ferry copy` in a child JVM against a real S3 server. */
class CliCopyS3IT extends CliS3Test {
    String from;
    String to;

    @BeforeEach
    void buckets() {
        from = bucket;
        to = s3.newBucket();
    }

    @Test
    void resumesAfterKillDashNineWithoutCopyingFinishedPartsAgain() throws Exception {
        byte[] content = TestData.bytes(150 * MIB + 99, 21);
        s3.put(from, "big.bin", content);
        String[] args = {"copy", "s3://" + from + "/big.bin", "s3://" + to + "/copies/", "--endpoint", endpoint,
                "--part-size", "5MiB", "--connections", "1", "--json"};

        CliRunner.Running running = cli.start(args);
        awaitCheckpointedParts(running, 1);
        running.kill9();
        Thread.sleep(300); // a part copy the kill cut off may still finish on the server
        CopyCheckpoint cp = CheckpointFiles.read(cli.checkpoints().get(0), CopyCheckpoint.class);
        Set<Integer> recorded = cp.parts().stream().filter(CopyCheckpoint.Part::isDone)
                .map(CopyCheckpoint.Part::number).collect(Collectors.toSet());
        Set<Integer> onServer = s3.store().listParts(ObjectRef.of(to, "copies/big.bin"), cp.uploadId(),
                new CancelSignal()).stream().map(p -> p.number()).collect(Collectors.toSet());
        assertThat(onServer).as("every recorded part is on the server").containsAll(recorded);
        assertThat(recorded).as("parts recorded before the kill").isNotEmpty();
        assertThat(onServer.size()).as("the kill came before the end").isLessThan(cp.parts().size());

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        List<Integer> copiedNow = partEvents(r);
        // exactly the parts the server did not have were copied: none twice
        assertThat(copiedNow).doesNotContainAnyElementsOf(onServer).hasSize(cp.parts().size() - onServer.size());
        assertThat(TestData.sha256(download("copies/big.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(cli.checkpoints()).isEmpty();
        assertThat(s3.store().listMultipartUploads(to, "", new CancelSignal())).isEmpty();
    }

    @Test
    void cancelAbortsTheRecordedUpload() throws Exception {
        s3.put(from, "c.bin", TestData.bytes(60 * MIB, 22));
        String[] args = {"copy", "s3://" + from + "/c.bin", "s3://" + to + "/c.bin", "--endpoint", endpoint,
                "--part-size", "5MiB", "--connections", "1", "--json"};
        CliRunner.Running running = cli.start(args);
        awaitOutput(running, "PART_SUCCEEDED", 1);
        running.kill9();
        assertThat(s3.store().listMultipartUploads(to, "", new CancelSignal())).hasSize(1);
        CliRunner.Result status = cli.run("status");
        assertThat(status.stdout()).contains("copy s3://" + from + "/c.bin -> s3://" + to + "/c.bin");

        CliRunner.Result cancelled = cli.run(CliRunner.concat(args, "--cancel"));

        assertThat(cancelled.exitCode()).as(cancelled.stderr()).isZero();
        assertThat(s3.store().listMultipartUploads(to, "", new CancelSignal())).isEmpty();
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void badInputIsAOneLineErrorWithExitTwo() throws Exception {
        s3.put(from, "k", TestData.bytes(100, 23));
        assertError(cli.run("copy", "s3://" + from + "/nope", "s3://" + to + "/x", "--endpoint", endpoint), "NoSuchKey");
        assertError(cli.run("copy", "s3://" + from + "/k", "s3://no-such-bucket-q/x", "--endpoint", endpoint),
                "NoSuchBucket");
        assertError(cli.run("copy", "s3://" + from + "/k", "s3://" + from + "/k", "--endpoint", endpoint),
                "onto itself");
        assertError(cli.run("copy", "s3://" + from + "/", "s3://" + to + "/", "--endpoint", endpoint), "not a prefix");
    }

    @Test
    void anObjectAtTheDestinationIsReplacedOnlyWithOverwrite() throws Exception {
        byte[] content = TestData.bytes(7 * MIB + 1, 24);
        byte[] theirs = TestData.bytes(1000, 25);
        s3.put(from, "new.bin", content);
        s3.put(to, "kept.bin", theirs);
        String[] args = {"copy", "s3://" + from + "/new.bin", "s3://" + to + "/kept.bin", "--endpoint", endpoint,
                "--part-size", "5MiB"};

        CliRunner.Result refused = cli.run(args);

        assertError(refused, "already at " + to + "/kept.bin");
        assertThat(refused.stderr()).contains("1000 bytes").contains("(--overwrite replaces what is there)");
        assertThat(Files.readAllBytes(download("kept.bin"))).isEqualTo(theirs);
        assertThat(s3.store().listMultipartUploads(to, "", new CancelSignal())).isEmpty();
        assertThat(cli.checkpoints()).isEmpty();

        List<String> overwrite = new ArrayList<>(List.of(args));
        overwrite.add("--overwrite");
        CliRunner.Result done = cli.run(overwrite.toArray(String[]::new));

        assertThat(done.exitCode()).as(done.stderr()).isZero();
        assertThat(TestData.sha256(download("kept.bin"))).isEqualTo(TestData.sha256(content));

        // a one-request copy run again finds the source's bytes there: done, and it says nothing was copied
        s3.put(from, "small.bin", theirs);
        String[] small = {"copy", "s3://" + from + "/small.bin", "s3://" + to + "/small.bin", "--endpoint", endpoint};
        assertThat(cli.run(small).exitCode()).isZero();
        CliRunner.Result again = cli.run(small);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("(already there, nothing copied)");
    }

    @Test
    void helpSaysCopiesAreNotRateLimited() throws Exception {
        CliRunner.Result r = cli.run("copy", "--help");
        assertThat(r.stdout().replaceAll("\\s+", " ")).contains("no bandwidth limit applies to copies");
    }

    private static void assertError(CliRunner.Result r, String message) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains(message).doesNotContain("\tat ");
        assertThat(r.stderr().strip().lines()).hasSize(1);
    }

    private static void awaitOutput(CliRunner.Running running, String text, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String out = running.stdoutSoFar();
            if (out.split(text, -1).length - 1 >= times) {
                return;
            }
            assertThat(running.process().isAlive()).as("ferry still running; output so far: %s", out).isTrue();
            Thread.sleep(2);
        }
        throw new AssertionError("no " + times + " x " + text + " within 60 s");
    }

    private void awaitCheckpointedParts(CliRunner.Running running, int parts) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<Path> files = cli.checkpoints();
            if (files.size() == 1) {
                try {
                    CopyCheckpoint cp = CheckpointFiles.read(files.get(0), CopyCheckpoint.class);
                    if (cp != null && cp.parts().stream().filter(CopyCheckpoint.Part::isDone).count() >= parts) {
                        return;
                    }
                } catch (IOException raceWithRename) {
                    // read again
                }
            }
            assertThat(running.process().isAlive()).as("ferry still running").isTrue();
            Thread.sleep(1);
        }
        throw new AssertionError("no checkpoint with " + parts + " parts within 60 s");
    }

    private static List<Integer> partEvents(CliRunner.Result r) throws IOException {
        List<Integer> parts = new ArrayList<>();
        for (String line : r.stdoutLines()) {
            JsonNode n = JSON.readTree(line);
            if ("PART_SUCCEEDED".equals(n.path("event").asText())) {
                parts.add(n.get("part").asInt());
            }
        }
        return parts;
    }

    private Path download(String key) throws Exception {
        Path file = dir.resolve("check-" + System.nanoTime());
        CliRunner.Result r = cli.run("download", "s3://" + to + "/" + key, file.toString(), "--endpoint", endpoint);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return file;
    }
}
