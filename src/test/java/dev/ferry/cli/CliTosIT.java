package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.testing.tos.StoredObject;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/** The real `ferry` command line, in a child JVM, with tos:// URIs against the in-process TOS test server. */
class CliTosIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIB = 1 << 20;
    private static final String SRC = "ferry-src";
    private static final String DST = "ferry-dst";
    private static final Map<String, String> METADATA = Map.of(
            "content-type", "text/x-ferry; charset=utf-8",
            "cache-control", "max-age=60",
            "content-disposition", "attachment; filename=\"quelle.bin\"",
            "x-tos-meta-owner", "ferry",
            "x-tos-meta-note", "two words");

    @TempDir
    Path dir;
    TosTestServer tos;
    CliRunner cli;
    String endpoint;

    @BeforeEach
    void setUp() throws IOException {
        tos = new TosTestServer();
        tos.createBucket(SRC).createBucket(DST);
        endpoint = tos.endpoint().toString();
        cli = new CliRunner(Files.createDirectories(dir.resolve("home"))).env(Map.of(
                "TOS_ACCESS_KEY", TosTestServer.CREDENTIALS.accessKeyId(),
                "TOS_SECRET_KEY", TosTestServer.CREDENTIALS.secretAccessKey(),
                "TOS_ENDPOINT", endpoint,
                "TOS_REGION", TosTestServer.REGION));
    }

    @AfterEach
    void stop() {
        tos.close();
    }

    @Test
    void downloadIsByteExactInManyRangedParts() throws Exception {
        byte[] content = TestData.bytes(23 * MIB + 5, 31);
        StoredObject stored = tos.putObject(SRC, "dir/data b+c.bin", content);
        Path out = Files.createDirectories(dir.resolve("out"));

        CliRunner.Result r = cli.run("download", "tos://" + SRC + "/dir/data b+c.bin", out.toString(),
                "--part-size", "5MiB", "--connections", "3", "--json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(out.resolve("data b+c.bin"))).isEqualTo(TestData.sha256(content));
        JsonNode result = lastOfType(r, "result");
        assertThat(result.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("fetched").asLong()).isEqualTo(content.length);
        assertThat(eventsOf(r, "PART_SUCCEEDED")).hasSize(5);
        List<TosTestServer.Recorded> gets = tos.requests().stream().filter(c -> c.call().isObjectGet()).toList();
        // several ranged GETs in parallel (a connection may carry on into the next part in the same GET)
        assertThat(gets).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(g -> assertThat(g.header("if-match")).isEqualTo(stored.etag()))
                .allSatisfy(g -> assertThat(g.header("authorization")).startsWith("TOS4-HMAC-SHA256"));
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void ctrlCPausesWithTheCheckpointThenTheSameCommandResumes() throws Exception {
        byte[] content = TestData.bytes(16 * MIB + 77, 32);
        tos.putObject(SRC, "p.bin", content);
        Path dest = dir.resolve("p.bin");
        String[] args = {"download", "tos://" + SRC + "/p.bin", dest.toString(), "--part-size", "5MiB",
                "--connections", "2", "--json"};

        CliRunner.Running running = cli.start(CliRunner.concat(args, "--limit", "3MiB/s"));
        cli.awaitCheckpointBeyond(2L * MIB, Duration.ofSeconds(30));
        sigint(running.process());
        CliRunner.Result paused = running.await(Duration.ofSeconds(30));

        assertThat(paused.exitCode()).as(paused.stderr()).isEqualTo(3);
        assertThat(Path.of(dest + ".ferry-partial")).exists();
        DownloadCheckpoint cp = CheckpointFiles.read(cli.checkpoints().get(0), DownloadCheckpoint.class);
        assertThat(cp.source().endpoint()).isEqualTo("tos+" + endpoint);
        assertThat(Files.readString(cli.checkpoints().get(0)))
                .doesNotContain(TosTestServer.CREDENTIALS.secretAccessKey());
        Set<Integer> doneBefore = new HashSet<>();
        cp.parts().stream().filter(DownloadCheckpoint.Part::isDone).forEach(p -> doneBefore.add(p.number()));

        CliRunner.Result status = cli.run("status");
        assertThat(status.stdout()).contains("tos://" + SRC + "/p.bin").contains(dest.toString());

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        JsonNode result = lastOfType(r, "result");
        assertThat(result.get("reused").asLong()).isGreaterThanOrEqualTo(cp.completedBytes()).isPositive();
        assertThat(result.get("fetched").asLong() + result.get("reused").asLong()).isEqualTo(content.length);
        for (JsonNode e : eventsOf(r, "PART_SUCCEEDED")) {
            assertThat(doneBefore).doesNotContain(e.get("part").asInt());
        }
        assertThat(eventsOf(r, "RESUMED")).hasSize(1);
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void killedDownloadResumesFromItsCheckpoint() throws Exception {
        byte[] content = TestData.bytes(15 * MIB + 3, 33);
        tos.putObject(SRC, "k.bin", content);
        Path dest = dir.resolve("k.bin");
        String[] args = {"download", "tos://" + SRC + "/k.bin", dest.toString(), "--part-size", "5MiB", "--json"};

        CliRunner.Running running = cli.start(CliRunner.concat(args, "--limit", "4MiB/s"));
        DownloadCheckpoint cp = cli.awaitCheckpointBeyond(3L * MIB, Duration.ofSeconds(30));
        running.kill9();

        CliRunner.Result r = cli.run(args);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        assertThat(lastOfType(r, "result").get("reused").asLong()).isGreaterThanOrEqualTo(cp.completedBytes());
    }

    @Test
    void copyIsByteExactAndCarriesTheMetadata() throws Exception {
        byte[] content = TestData.bytes(12 * MIB + 9, 34);
        StoredObject src = tos.putObject(SRC, "src/quelle.bin", content, METADATA);

        CliRunner.Result r = cli.run("copy", "tos://" + SRC + "/src/quelle.bin", "tos://" + DST + "/copies/",
                "--part-size", "5MiB", "--connections", "2", "--json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        StoredObject copy = tos.object(DST, "copies/quelle.bin").orElseThrow();
        assertThat(copy.content()).isEqualTo(content);
        assertThat(copy.crc64()).isEqualTo(src.crc64());
        assertThat(copy.headers()).containsAllEntriesOf(METADATA);
        assertThat(tos.requests()).filteredOn(c -> c.call().method().equals("PUT")
                && c.header("x-tos-copy-source") != null && c.call().query().containsKey("partNumber")).hasSize(3);
        assertThat(tos.uploads()).isEmpty();
        assertThat(lastOfType(r, "result").get("state").asText()).isEqualTo("COMPLETED");

        CliRunner.Result small = cli.run("copy", "tos://" + SRC + "/src/quelle.bin", "tos://" + DST + "/one.bin",
                "--part-size", "20MiB");
        assertThat(small.exitCode()).as(small.stderr()).isZero();
        assertThat(tos.object(DST, "one.bin").orElseThrow().headers()).containsAllEntriesOf(METADATA);
    }

    @Test
    void copyBetweenS3AndTosIsRefused() throws Exception {
        tos.putObject(SRC, "k", TestData.bytes(10, 1));
        assertUsageError(cli.run("copy", "s3://" + SRC + "/k", "tos://" + DST + "/k"),
                "cannot copy from s3:// to tos://");
        assertUsageError(cli.run("copy", "tos://" + SRC + "/k", "s3://" + DST + "/k"),
                "cannot copy from tos:// to s3://");
        assertThat(tos.requests()).isEmpty();
    }

    @Test
    void lsShowsFoldersObjectsAndBuckets() throws Exception {
        tos.putObject(SRC, "top.txt", "12345".getBytes());
        tos.putObject(SRC, "folder/inner.txt", "1".getBytes());

        CliRunner.Result r = cli.run("ls", "tos://" + SRC + "/");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("PRE folder/").containsPattern("\\s5 top\\.txt").doesNotContain("inner.txt");

        CliRunner.Result rec = cli.run("ls", "tos://" + SRC, "--recursive", "--json");
        assertThat(rec.exitCode()).as(rec.stderr()).isZero();
        assertThat(rec.stdoutLines()).hasSize(2).allSatisfy(l -> assertThat(JSON.readTree(l).get("type").asText())
                .isEqualTo("object"));

        CliRunner.Result buckets = cli.run("ls", "tos://");
        assertThat(buckets.exitCode()).as(buckets.stderr()).isZero();
        assertThat(buckets.stdout()).contains(SRC).contains(DST);
        CliRunner.Result bucketsJson = cli.run("ls", "tos://", "--json");
        assertThat(bucketsJson.stdoutLines()).hasSize(2)
                .allSatisfy(l -> assertThat(JSON.readTree(l).get("type").asText()).isEqualTo("bucket"));
    }

    @Test
    void missingTosKeysNameTheVariables() throws Exception {
        CliRunner noKeys = new CliRunner(Files.createDirectories(dir.resolve("bare-home")))
                .env("TOS_ENDPOINT", endpoint).env("TOS_REGION", TosTestServer.REGION)
                .env("AWS_ACCESS_KEY_ID", "AKIA-not-for-tos").env("AWS_SECRET_ACCESS_KEY", "aws-secret");
        CliRunner.Result r = noKeys.run("download", "tos://" + SRC + "/k", dir.toString());

        assertUsageError(r, "no TOS credentials");
        assertThat(r.stderr()).contains("TOS_ACCESS_KEY").contains("TOS_SECRET_KEY");
        assertThat(tos.requests()).isEmpty();
    }

    @Test
    void wrongSecretIsAOneLineSignatureErrorWithTheEc() throws Exception {
        tos.putObject(SRC, "k", TestData.bytes(10, 1));
        String wrong = "not-the-secret-" + System.nanoTime();

        CliRunner.Result r = cli.env("TOS_SECRET_KEY", wrong)
                .run("download", "tos://" + SRC + "/k", dir.resolve("k").toString());

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains("SignatureDoesNotMatch").contains("EC 0003-00000003")
                .doesNotContain(wrong).doesNotContain("\tat ");
        assertThat(r.stderr().strip().lines()).hasSize(1);
        assertThat(dir.resolve("k")).doesNotExist();

        CliRunner.Result ls = cli.run("ls", "tos://" + SRC);
        assertThat(ls.exitCode()).isEqualTo(2);
        assertThat(ls.stderr()).contains("SignatureDoesNotMatch").contains("EC ").doesNotContain(wrong);
    }

    @Test
    void anS3OnlyEndpointIsRefusedWithTheHint() throws Exception {
        CliRunner.Result r = cli.run("download", "tos://" + SRC + "/k", dir.toString(),
                "--endpoint", "https://tos-s3-cn-beijing.volces.com");

        assertUsageError(r, "speaks the S3 protocol");
        assertThat(r.stderr()).contains("tos-cn-beijing.volces.com");

        CliRunner.Result nativeInS3 = cli.env("AWS_ACCESS_KEY_ID", "k").env("AWS_SECRET_ACCESS_KEY", "s")
                .run("ls", "s3://" + SRC, "--endpoint", "tos-cn-beijing.volces.com");
        assertThat(nativeInS3.exitCode()).isEqualTo(2);
    }

    @Test
    void aPastedRegionEndpointWorksVirtualHostedWithTheRegionItNames() throws Exception {
        byte[] content = TestData.bytes(6 * MIB + 1, 35);
        tos.putObject(SRC, "v.bin", content);
        // the child JVM resolves the TOS host names to this server
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 " + TosTestServer.VIRTUAL_HOST + " "
                + SRC + "." + TosTestServer.VIRTUAL_HOST + "\n");
        CliRunner.Result r = cli.env("TOS_ENDPOINT", null).env("TOS_REGION", null)
                .env("JDK_JAVA_OPTIONS", "-Djdk.net.hosts.file=" + hosts)
                .run("download", "tos://" + SRC + "/v.bin", dir.resolve("v.bin").toString(),
                        "--endpoint", "http://" + TosTestServer.VIRTUAL_HOST + ":" + tos.port() + "/");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("v.bin"))).isEqualTo(content);
        assertThat(tos.requests()).isNotEmpty().allSatisfy(c -> assertThat(c.header("host"))
                .startsWith(SRC + "." + TosTestServer.VIRTUAL_HOST));
    }

    @Test
    void helpMentionsTos() throws Exception {
        for (String command : new String[]{"download", "copy", "ls"}) {
            CliRunner.Result r = cli.run(command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).as(command).contains("tos://");
        }
        assertThat(cli.run("--help").stdout()).contains("TOS_ACCESS_KEY").contains("TOS_SECRET_KEY")
                .contains("TOS_SECURITY_TOKEN");
    }

    // ------------------------------------------------------------------ helpers

    /** Ctrl-C, as a terminal sends it. */
    private static void sigint(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static void assertUsageError(CliRunner.Result r, String message) {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
        assertThat(r.stderr()).contains(message).doesNotContain("\tat ").doesNotContain("Exception:");
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
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdoutLines()) {
            JsonNode n = JSON.readTree(line);
            if ("event".equals(n.path("type").asText()) && event.equals(n.path("event").asText())) {
                out.add(n);
            }
        }
        return out;
    }
}
