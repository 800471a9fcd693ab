package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.TestData;

/**
 * What the command line does with input that would cost a user data or bandwidth: a checkpoint path that holds
 * something else, a bucket named without a key, files already in the destination folder, names that are not
 * quite prefixes. The real `ferry` in a child JVM, against a real S3 server.
 */
class CliInputSafetyIT extends CliS3Test {
    // ------------------------------------------------------------------ --checkpoint FILE

    @Test
    void aCheckpointPathHoldingSomethingElseIsRefusedAndKept() throws Exception {
        s3.put(bucket, "o.bin", TestData.bytes(MIB, 1));
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes, not a checkpoint\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        String[] args = {"download", "s3://" + bucket + "/o.bin", out.toString(), "--endpoint", endpoint,
                "--checkpoint", notes.toString()};

        CliRunner.Result run = cli.run(args);
        CliRunner.Result cancel = cli.run(CliRunner.concat(args, "--cancel"));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("is not a Ferry download checkpoint").contains("left as it is");
        assertThat(cancel.exitCode()).as(cancel.stderr()).isEqualTo(2);
        assertThat(cancel.stderr()).contains("is not a Ferry download checkpoint");
        assertThat(Files.readString(notes)).isEqualTo("my notes, not a checkpoint\n");
        assertThat(filesIn(out)).as("nothing downloaded, no partial file").isEmpty();

        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        CliRunner.Result onFolder = cli.run("download", "s3://" + bucket + "/o.bin", out.toString(), "--endpoint",
                endpoint, "--checkpoint", folder.toString());
        assertThat(onFolder.exitCode()).as(onFolder.stderr()).isEqualTo(2);
        assertThat(onFolder.stderr()).contains("is a folder");
        assertThat(folder).isDirectory();
    }

    @Test
    void anotherDownloadsCheckpointIsRefusedAndKeptForIt() throws Exception {
        s3.put(bucket, "a.bin", TestData.bytes(12 * MIB, 2));
        s3.put(bucket, "b.bin", TestData.bytes(MIB, 3));
        Path cp = dir.resolve("a.checkpoint");
        CliRunner.Running first = cli.start("download", "s3://" + bucket + "/a.bin", dir.resolve("a.bin").toString(),
                "--endpoint", endpoint, "--part-size", "5MiB", "--limit", "2MiB/s", "--checkpoint", cp.toString());
        awaitFile(cp);
        first.terminate();
        assertThat(first.await(Duration.ofSeconds(30)).exitCode()).isEqualTo(3);
        String saved = Files.readString(cp);

        CliRunner.Result other = cli.run("download", "s3://" + bucket + "/b.bin", dir.resolve("b.bin").toString(),
                "--endpoint", endpoint, "--checkpoint", cp.toString());

        assertThat(other.exitCode()).as(other.stderr()).isEqualTo(2);
        assertThat(other.stderr()).contains("is another download's");
        assertThat(Files.readString(cp)).isEqualTo(saved);
        assertThat(dir.resolve("a.bin.ferry-partial")).exists();

        CliRunner.Result resumed = cli.run("download", "s3://" + bucket + "/a.bin", dir.resolve("a.bin").toString(),
                "--endpoint", endpoint, "--part-size", "5MiB", "--checkpoint", cp.toString(), "--json");
        assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
        assertThat(lastOfType(resumed, "result").get("reused").asLong()).isPositive();
    }

    @Test
    void aCopyRefusesACheckpointPathHoldingSomethingElse() throws Exception {
        s3.put(bucket, "src.bin", TestData.bytes(MIB, 4));
        Path notes = Files.writeString(dir.resolve("copy-notes.txt"), "{\"kind\": \"download\"}");

        CliRunner.Result r = cli.run("copy", "s3://" + bucket + "/src.bin", "s3://" + bucket + "/dst.bin",
                "--endpoint", endpoint, "--checkpoint", notes.toString());

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("is not a Ferry copy checkpoint");
        assertThat(Files.readString(notes)).isEqualTo("{\"kind\": \"download\"}");
    }

    // ------------------------------------------------------------------ what SOURCE names

    @Test
    void aBucketWithoutAKeyIsRefusedUnlessWrittenAsAPrefix() throws Exception {
        s3.put(bucket, "x.bin", TestData.bytes(1000, 5));
        Path out = Files.createDirectories(dir.resolve("out"));

        CliRunner.Result bare = cli.run("download", "s3://" + bucket, out.toString(), "--endpoint", endpoint);
        CliRunner.Result prefix = cli.run("download", "s3://" + bucket + "/", out.toString(), "--endpoint", endpoint);

        assertThat(bare.exitCode()).as(bare.stderr()).isEqualTo(2);
        assertThat(bare.stderr()).contains("names a whole bucket").contains("s3://" + bucket + "/")
                .contains("--recursive");
        assertThat(prefix.exitCode()).as(prefix.stderr()).isZero();
        assertThat(filesIn(out)).containsExactly("x.bin");

        CliRunner.Result none = cli.run("download", "s3://" + bucket + "/nothing/", dir.resolve("none").toString(),
                "--endpoint", endpoint);
        assertThat(none.exitCode()).as(none.stderr()).isZero();
        assertThat(none.stderr()).contains("no objects under s3://" + bucket + "/nothing/");
    }

    @Test
    void aRecursivePrefixWithoutSlashKeepsNamesFromItsLastSlashOn() throws Exception {
        s3.put(bucket, "photos/a.jpg", TestData.bytes(1000, 6));
        s3.put(bucket, "photos/2024/b.jpg", TestData.bytes(1001, 7));
        s3.put(bucket, "photos-old/c.jpg", TestData.bytes(1002, 8));
        s3.put(bucket, "docs/readme.txt", TestData.bytes(1003, 9));
        Path byName = Files.createDirectories(dir.resolve("by-name"));
        Path contents = Files.createDirectories(dir.resolve("contents"));
        Path one = Files.createDirectories(dir.resolve("one"));

        assertThat(cli.run("download", "s3://" + bucket + "/photos", byName.toString(), "-r", "--endpoint",
                endpoint).exitCode()).isZero();
        assertThat(cli.run("download", "s3://" + bucket + "/photos/", contents.toString(), "--endpoint",
                endpoint).exitCode()).isZero();
        CliRunner.Result exact = cli.run("download", "s3://" + bucket + "/docs/readme.txt", one.toString(), "-r",
                "--endpoint", endpoint);

        assertThat(tree(byName)).containsExactly("photos-old/c.jpg", "photos/2024/b.jpg", "photos/a.jpg");
        assertThat(tree(contents)).containsExactly("2024/b.jpg", "a.jpg");
        assertThat(exact.exitCode()).as(exact.stderr()).isZero();
        assertThat(exact.stderr()).contains("1 of 1 objects downloaded");
        assertThat(tree(one)).containsExactly("readme.txt");
    }

    @Test
    void aDestinationEndingInASlashIsAFolderEvenBeforeItExists() throws Exception {
        s3.put(bucket, "f.bin", TestData.bytes(1000, 10));
        String missing = dir.resolve("not-yet").toString() + "/";

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/f.bin", missing, "--endpoint", endpoint);

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("destination folder does not exist");
        assertThat(dir.resolve("not-yet")).doesNotExist();
    }

    // ------------------------------------------------------------------ files already there

    @Test
    void aFolderRunAgainSkipsOnlyFilesThatAreTheObjects() throws Exception {
        byte[] single = TestData.bytes(200_000, 11);
        byte[] multi = TestData.bytes(12 * MIB + 5, 12);
        s3.put(bucket, "set/single.bin", single);
        s3.put(bucket, "src/multi.bin", multi);
        // copied in parts: a multipart ETag, no MD5 to compare content with
        assertThat(cli.run("copy", "s3://" + bucket + "/src/multi.bin", "s3://" + bucket + "/set/multi.bin",
                "--endpoint", endpoint, "--part-size", "5MiB").exitCode()).isZero();
        assertThat(s3.store().head(dev.ferry.storage.ObjectRef.of(bucket, "set/multi.bin"),
                new dev.ferry.storage.CancelSignal()).etag()).contains("-");
        Path out = Files.createDirectories(dir.resolve("set"));
        String[] args = {"download", "s3://" + bucket + "/set/", out.toString(), "--endpoint", endpoint,
                "--part-size", "5MiB", "--json"};
        CliRunner.Result first = cli.run(args);
        assertThat(first.exitCode()).as(first.stderr()).isZero();

        CliRunner.Result again = cli.run(args);

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        JsonNode summary = lastOfType(again, "summary");
        assertThat(summary.get("alreadyThere").asInt()).isEqualTo(2);
        assertThat(summary.get("downloaded").asInt()).isZero();
        assertThat(linesOfType(again, "skipped")).hasSize(2);

        // a file of the same size that is not the object: never "already there", and never replaced unasked. One
        // changed in place (its record no longer fits), one without a record that is older than its object.
        byte[] other = TestData.bytes(single.length, 13);
        Files.write(out.resolve("single.bin"), other);
        Path multiFile = out.resolve("multi.bin");
        Files.delete(multiFile);
        Files.write(multiFile, TestData.bytes(multi.length, 14));
        Files.setLastModifiedTime(multiFile, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        CliRunner.Result third = cli.run(args);

        assertThat(third.exitCode()).as(third.stderr()).isNotZero();
        JsonNode counts = lastOfType(third, "summary");
        assertThat(counts.get("alreadyThere").asInt()).isZero();
        assertThat(counts.get("failed").asInt()).isEqualTo(2);
        assertThat(linesOfType(third, "result")).allSatisfy(n ->
                assertThat(n.get("message").asText()).contains("already exists"));
        assertThat(Files.readAllBytes(out.resolve("single.bin"))).isEqualTo(other);

        // without a record or an MD5 to go by, a file of the object's size that is not older than it is taken for it,
        // and said to be unverified
        Files.setLastModifiedTime(multiFile, FileTime.from(Instant.now()));
        Files.delete(out.resolve("single.bin"));

        CliRunner.Result fourth = cli.run(args);

        assertThat(fourth.exitCode()).as(fourth.stderr()).isZero();
        assertThat(linesOfType(fourth, "skipped")).singleElement().satisfies(n -> {
            assertThat(n.get("source").asText()).endsWith("/set/multi.bin");
            assertThat(n.get("verified").asBoolean()).isFalse();
            assertThat(n.get("message").asText()).contains("not verified");
        });
        assertThat(Files.readAllBytes(out.resolve("single.bin"))).isEqualTo(single);
    }

    @Test
    void aFileFromElsewhereWithTheObjectsMd5IsAlreadyThere() throws Exception {
        byte[] content = TestData.bytes(300_000, 15);
        s3.put(bucket, "m/file.bin", content);
        Path out = Files.createDirectories(dir.resolve("m"));
        Files.write(out.resolve("file.bin"), content); // no attribute: only its bytes can tell

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/m/", out.toString(), "--endpoint", endpoint);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("already there, skipped");
        assertThat(r.stderr()).contains("0 of 1 objects downloaded, 1 already there");
    }

    @Test
    void anObjectNamedLikeAnothersPartialFileIsReportedAndBothStayWhole() throws Exception {
        byte[] x = TestData.bytes(150_000, 16);
        byte[] partialNamed = TestData.bytes(160_000, 17);
        s3.put(bucket, "p/x.bin", x);
        s3.put(bucket, "p/x.bin.ferry-partial", partialNamed);
        Path out = Files.createDirectories(dir.resolve("p"));

        CliRunner.Result r = cli.run("download", "s3://" + bucket + "/p/", out.toString(), "--endpoint", endpoint,
                "--json");

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(linesOfType(r, "problem")).singleElement().satisfies(n -> {
            assertThat(n.get("source").asText()).endsWith("/p/x.bin.ferry-partial");
            assertThat(n.get("message").asText()).contains("partial file").contains("x.bin");
        });
        assertThat(Files.readAllBytes(out.resolve("x.bin"))).isEqualTo(x);
        assertThat(filesIn(out)).containsExactly("x.bin");

        // once x.bin is there, a run again leaves it and fetches the other: both whole, no clash left to report
        CliRunner.Result second = cli.run("download", "s3://" + bucket + "/p/", out.toString(), "--endpoint",
                endpoint, "--json");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(linesOfType(second, "problem")).isEmpty();
        assertThat(lastOfType(second, "summary").get("alreadyThere").asInt()).isEqualTo(1);
        Path lone = out.resolve("x.bin.ferry-partial");
        assertThat(Files.readAllBytes(lone)).isEqualTo(partialNamed);
        assertThat(Files.readAllBytes(out.resolve("x.bin"))).isEqualTo(x);
        // a finished file: a later download of x.bin without a checkpoint leaves it alone
        java.nio.file.attribute.UserDefinedFileAttributeView attributes =
                Files.getFileAttributeView(lone, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        List<String> names = attributes == null ? List.of() : attributes.list();
        if (!names.isEmpty()) { // where the file system keeps user attributes: recorded as a finished file
            assertThat(names).contains("ferry.etag");
        }
        Files.delete(out.resolve("x.bin"));
        CliRunner.Result again = cli.run("download", "s3://" + bucket + "/p/x.bin", out.resolve("x.bin").toString(),
                "--endpoint", endpoint);
        assertThat(again.exitCode()).as(again.stderr()).isEqualTo(2);
        assertThat(again.stderr()).contains("is in the way");
        assertThat(Files.readAllBytes(lone)).isEqualTo(partialNamed);
        CliRunner.Result cancel = cli.run("download", "s3://" + bucket + "/p/x.bin", out.resolve("x.bin").toString(),
                "--endpoint", endpoint, "--cancel");
        assertThat(cancel.exitCode()).as(cancel.stderr()).isEqualTo(2);
        assertThat(cancel.stderr()).contains("is in the way");
        assertThat(Files.readAllBytes(lone)).as("--cancel deletes no finished file").isEqualTo(partialNamed);
    }

    @Test
    void filesOfTheUsersAtThePartialFileOrLockNameAreNeverOverwrittenOrDeleted() throws Exception {
        byte[] content = TestData.bytes(120_000, 18);
        s3.put(bucket, "u/z.bin", content);
        Path out = Files.createDirectories(dir.resolve("u"));
        Path partialName = Files.writeString(out.resolve("z.bin.ferry-partial"), "the user's own file\n");
        String[] args = {"download", "s3://" + bucket + "/u/z.bin", out.resolve("z.bin").toString(), "--endpoint",
                endpoint};

        CliRunner.Result run = cli.run(args);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr()).contains("is in the way").contains("nothing marks it");
        assertThat(Files.readString(partialName)).isEqualTo("the user's own file\n");
        assertThat(out.resolve("z.bin")).doesNotExist();

        // a checkpoint file that names nothing (made empty by mktemp) vouches for no file at the partial name
        Path blank = Files.createFile(dir.resolve("blank-checkpoint"));
        CliRunner.Result withBlank = cli.run(CliRunner.concat(args, "--checkpoint", blank.toString()));
        assertThat(withBlank.exitCode()).as(withBlank.stderr()).isEqualTo(2);
        assertThat(withBlank.stderr()).contains("is in the way");
        assertThat(Files.readString(partialName)).isEqualTo("the user's own file\n");

        // a lock file a killed run left beside it says it is a partial download of Ferry's, where no mark can
        Path leftLock = Files.createFile(out.resolve("z.bin.ferry-partial.lock"));
        CliRunner.Result afterKill = cli.run(args);
        assertThat(afterKill.exitCode()).as(afterKill.stderr()).isZero();
        assertThat(Files.readAllBytes(out.resolve("z.bin"))).isEqualTo(content);
        assertThat(leftLock).doesNotExist();
        Files.delete(out.resolve("z.bin"));

        Files.writeString(partialName, ""); // empty: nothing in it to lose, as a run killed at its start leaves it
        CliRunner.Result overEmpty = cli.run(args);
        assertThat(overEmpty.exitCode()).as(overEmpty.stderr()).isZero();
        assertThat(Files.readAllBytes(out.resolve("z.bin"))).isEqualTo(content);
        Files.delete(out.resolve("z.bin"));

        Path lockName = Files.writeString(out.resolve("z.bin.ferry-partial.lock"), "data with the lock's name\n");
        CliRunner.Result locked = cli.run(args);

        assertThat(locked.exitCode()).as(locked.stderr()).isNotZero();
        assertThat(locked.stderr()).contains("is in the way").contains("no lock file of Ferry's");
        assertThat(Files.readString(lockName)).isEqualTo("data with the lock's name\n");

        Files.delete(lockName);
        Path empty = Files.createFile(dir.resolve("made-by-mktemp"));
        CliRunner.Result withEmpty = cli.run(CliRunner.concat(args, "--checkpoint", empty.toString()));
        assertThat(withEmpty.exitCode()).as("an empty checkpoint file is taken: " + withEmpty.stderr()).isZero();
        assertThat(Files.readAllBytes(out.resolve("z.bin"))).isEqualTo(content);
    }

    // ------------------------------------------------------------------ helpers

    private void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("waited 30 s for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    private static List<JsonNode> linesOfType(CliRunner.Result r, String type) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdoutLines()) {
            JsonNode n = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
            if (type.equals(n.path("type").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    private static JsonNode lastOfType(CliRunner.Result r, String type) throws IOException {
        List<JsonNode> all = linesOfType(r, type);
        assertThat(all).as("a %s line in %s", type, r.stdout()).isNotEmpty();
        return all.get(all.size() - 1);
    }
}
