package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.CliRunner;
import dev.ferry.testing.FakeS3;
import dev.ferry.testing.FaultProxy;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.testing.WebServer;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.LogEntry;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSpec;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * No secret key, session token or request signature in anything Ferry writes: CLI output (plain, JSON,
 * errors, status), checkpoints, the queue file and the event log. The first tests make Ferry write all of
 * these with a session token in play and failures on the way; the last scans every file the fault suite
 * wrote in this JVM ({@link FaultArtifacts#root()}: this class's files and those of every fault class that
 * ran before it; each of those also scans its own files when it ends).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsScanIT {
    private static final int MIB = 1 << 20;
    private static final String TOKEN = "FQoGZXIvYXdzE-" + UUID.randomUUID() + "-session";
    private static final Path DIR = FaultArtifacts.newDir("SecretsScanIT");

    /** The scan itself: it finds a remembered secret and a signature pattern, and says where. */
    @Test
    @Order(0)
    void theScanFindsWhatItLooksFor(@TempDir Path elsewhere) throws IOException {
        String planted = "planted-" + UUID.randomUUID();
        FaultArtifacts.secret("a planted secret", planted);
        Files.writeString(elsewhere.resolve("clean.txt"), "nothing to see");
        Files.writeString(elsewhere.resolve("secret.txt"), "key=" + planted);
        Files.writeString(elsewhere.resolve("url.txt"), "https://h/k?X-Amz-Date=1&X-Amz-Signature=00ff");

        FaultArtifacts.Scan scan = FaultArtifacts.scan(elsewhere);

        assertThat(scan.files()).isEqualTo(3);
        assertThat(scan.findings()).hasSize(2)
                .anySatisfy(f -> assertThat(f).startsWith("secret.txt contains a planted"))
                .anySatisfy(f -> assertThat(f).startsWith("url.txt contains 'X-Amz-Signature='"));
    }

    /**
     * Every command of the CLI against a real server, succeeding, failing (a wrong secret), paused by SIGTERM,
     * listed by `ferry status` and cancelled. (s3proxy refuses session tokens with 501, so the token runs are
     * the next test's.)
     */
    @Test
    @Order(1)
    void theCommandLineAgainstARealServer() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket();
        String other = s3.newBucket();
        byte[] content = TestData.bytes(12 * MIB + 3, 41);
        s3.put(bucket, "s/obj.bin", content);
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        FaultArtifacts.secret("the secret key", s3.credentials().secretAccessKey());
        FaultArtifacts.secret("a wrong secret key", wrongSecret);
        Path out = Files.createDirectories(DIR.resolve("cli-s3proxy"));
        CliRunner cli = new CliRunner(Files.createDirectories(out.resolve("home"))).env(s3.cliEnv());
        List<CliRunner.Result> results = new ArrayList<>();
        try (FaultProxy proxy = new FaultProxy(s3.endpoint(), 41)) {
            String endpoint = proxy.endpoint().toString();
            String src = "s3://" + bucket + "/s/obj.bin";
            Path paused = out.resolve("paused.bin");

            results.add(cli.run("download", src, out.resolve("json.bin").toString(), "--endpoint", endpoint,
                    "--part-size", "5MiB", "--json"));
            results.add(cli.run("ls", "s3://" + bucket + "/", "--endpoint", endpoint, "--recursive"));
            results.add(cli.run("copy", src, "s3://" + other + "/c.bin", "--endpoint", endpoint, "--part-size",
                    "5MiB", "--json"));
            results.add(cli.env("AWS_SECRET_ACCESS_KEY", wrongSecret).run("download", src,
                    out.resolve("never.bin").toString(), "--endpoint", endpoint));
            cli.env(s3.cliEnv());
            CliRunner.Running running = cli.start("download", src, paused.toString(), "--endpoint", endpoint,
                    "--part-size", "5MiB", "--limit", "2MiB/s");
            CliOutput.awaitCheckpointBeyond(cli, running, MIB);
            running.terminate();
            results.add(running.await(Duration.ofSeconds(30)));
            results.add(cli.run("status"));
            results.add(cli.run("download", src, paused.toString(), "--endpoint", endpoint, "--cancel"));
            FaultArtifacts.secretsSeenBy(proxy);
        }

        assertThat(results).extracting(CliRunner.Result::exitCode).containsExactly(0, 0, 0, 2, 3, 0, 0);
        assertThat(results.get(3).stderr()).contains("SignatureDoesNotMatch");
        assertThat(s3.store().head(ObjectRef.of(other, "c.bin"), new CancelSignal()).size()).isEqualTo(content.length);
        FaultArtifacts.dropLargeFiles(out);
        FaultArtifacts.assertNoSecrets(out, 2 * results.size());
    }

    /**
     * The CLI with a session token: a JSON run, a run killed mid-way, `ferry status`, a resume whose connections
     * are reset (plain output, part retries on stderr), a run whose token has expired (403), and a cancel.
     */
    @Test
    @Order(2)
    void theCommandLineWithASessionToken() throws Exception {
        byte[] content = TestData.bytes(12 * MIB + 3, 43);
        FaultArtifacts.secret("FakeS3's secret key", FakeS3.SECRET);
        FaultArtifacts.secret("the session token", TOKEN);
        Path out = Files.createDirectories(DIR.resolve("cli-token"));
        CliRunner cli = new CliRunner(Files.createDirectories(out.resolve("home"))).env(java.util.Map.of(
                "AWS_ACCESS_KEY_ID", FakeS3.CREDENTIALS.accessKeyId(), "AWS_SECRET_ACCESS_KEY", FakeS3.SECRET,
                "AWS_REGION", "us-east-1", "AWS_SESSION_TOKEN", TOKEN));
        List<CliRunner.Result> results = new ArrayList<>();
        try (FakeS3 s3 = new FakeS3(content); FaultProxy proxy = new FaultProxy(s3.server().url("/").uri(), 43)) {
            AtomicBoolean expired = new AtomicBoolean();
            s3.fault(c -> expired.get() && c.isRangedGet()
                    ? FakeS3.errorFor(c, 403, "ExpiredToken", "The provided token has expired.") : null);
            String endpoint = proxy.endpoint().toString();
            String src = "s3://" + FakeS3.BUCKET + "/" + FakeS3.KEY;
            Path dest = out.resolve("obj.bin");

            results.add(cli.run("download", src, out.resolve("json.bin").toString(), "--endpoint", endpoint,
                    "--part-size", "5MiB", "--json"));
            CliRunner.Running killed = cli.start("download", src, dest.toString(), "--endpoint", endpoint,
                    "--part-size", "5MiB", "--limit", "4MiB/s", "--json");
            CliOutput.awaitCheckpointBeyond(cli, killed, MIB);
            killed.kill9();
            results.add(cli.run("status"));
            proxy.resetResponses(0.5, 100_000, 2L * MIB);
            results.add(cli.run("download", src, dest.toString(), "--endpoint", endpoint, "--part-size", "5MiB"));
            proxy.clearFaults();
            expired.set(true);
            results.add(cli.run("download", src, out.resolve("expired.bin").toString(), "--endpoint", endpoint,
                    "--part-size", "5MiB"));
            results.add(cli.run("status"));
            results.add(cli.run("download", src, out.resolve("expired.bin").toString(), "--endpoint", endpoint,
                    "--cancel"));
            FaultArtifacts.secretsSeenBy(proxy);
            assertThat(proxy.sessionTokens()).as("the token went on the wire").containsExactly(TOKEN);
            s3.calls().forEach(c -> FaultArtifacts.secretsInAuthorization(c.header("Authorization")));
        }

        assertThat(results).extracting(CliRunner.Result::exitCode).containsExactly(0, 0, 0, 2, 0, 0);
        assertThat(TestData.sha256(out.resolve("obj.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(results.get(3).stderr()).contains("ExpiredToken");
        FaultArtifacts.dropLargeFiles(out);
        FaultArtifacts.assertNoSecrets(out, 2 * results.size());
    }

    /**
     * A presigned link on the command line: a JSON run, a run killed mid-way, `ferry status`, the link expired
     * (403) and a fresh link finishing the killed download. Neither link's signature may appear anywhere.
     */
    @Test
    @Order(3)
    void aPresignedLinkOnTheCommandLine() throws Exception {
        byte[] content = TestData.bytes(12 * MIB + 5, 44);
        String first = java.util.HexFormat.of().formatHex(TestData.bytes(32, 45));
        String fresh = java.util.HexFormat.of().formatHex(TestData.bytes(32, 46));
        FaultArtifacts.secret("a presigned link's signature", first);
        FaultArtifacts.secret("a fresh presigned link's signature", fresh);
        Path out = Files.createDirectories(DIR.resolve("cli-link"));
        Path www = Files.createDirectories(out.resolve("www"));
        Files.write(www.resolve("obj.bin"), content);
        CliRunner cli = new CliRunner(Files.createDirectories(out.resolve("home")));
        List<CliRunner.Result> results = new ArrayList<>();
        try (WebServer web = WebServer.serve(www)) {
            String link = web.url("obj.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&token=" + first
                    + "&X-Amz-Signature=" + first);
            String freshLink = web.url("obj.bin?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=60&token=" + fresh
                    + "&X-Amz-Signature=" + fresh);
            Path dest = out.resolve("obj.bin");
            web.requireToken(first);
            results.add(cli.run("download", link, out.resolve("json.bin").toString(), "--json"));
            CliRunner.Running killed = cli.start("download", link, dest.toString(), "--limit", "4MiB/s", "--json");
            CliOutput.awaitCheckpointBeyond(cli, killed, MIB);
            killed.kill9();
            results.add(cli.run("status"));
            web.requireToken(fresh);
            results.add(cli.run("download", link, dest.toString()));
            results.add(cli.run("download", freshLink, dest.toString(), "--json"));
        }

        assertThat(results).extracting(CliRunner.Result::exitCode).containsExactly(0, 0, 2, 0);
        assertThat(results.get(2).stderr()).contains("expired").contains("fresh link");
        assertThat(TestData.sha256(out.resolve("obj.bin"))).isEqualTo(TestData.sha256(content));
        FaultArtifacts.dropLargeFiles(out);
        FaultArtifacts.assertNoSecrets(out, 2 * results.size());
    }

    /** The app's queue: queue.json, checkpoints and each transfer's event log, with a token that expires. */
    @Test
    @Order(4)
    void theQueueAndItsEventLog() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 11, 42);
        Path out = Files.createDirectories(DIR.resolve("queue"));
        Path home = out.resolve("ferry-home");
        FaultArtifacts.secret("FakeS3's secret key", FakeS3.SECRET);
        FaultArtifacts.secret("the session token", TOKEN);
        try (FakeS3 s3 = new FakeS3(content)) {
            AtomicBoolean expired = new AtomicBoolean();
            s3.fault(c -> expired.get() && c.isRangedGet()
                    ? FakeS3.errorFor(c, 403, "ExpiredToken", "The provided token has expired.") : null);
            Credentials creds = new Credentials(FakeS3.CREDENTIALS.accessKeyId(), FakeS3.SECRET, TOKEN);
            try (S3Store store = new S3Store(new S3Config(s3.server().url("/").uri(), "us-east-1", creds, true),
                    HttpClients.create(4), RetryPolicy.fast(2));
                 TransferService service = TransferService.atHome(id -> store, home)) {
                ObjectRef ref = ObjectRef.of(FakeS3.BUCKET, FakeS3.KEY);
                long ok = service.add(new TransferSpec.Download("conn", ref, out.resolve("ok.bin"), 1_000_000, 2));
                service.start();
                awaitEnd(service, ok);
                expired.set(true);
                long failed = service.add(new TransferSpec.Download("conn", ref, out.resolve("failed.bin"), 1_000_000,
                        2));
                awaitEnd(service, failed);

                assertThat(service.snapshot(ok).orElseThrow().state()).isEqualTo(TransferState.COMPLETED);
                TransferSnapshot f = service.snapshot(failed).orElseThrow();
                assertThat(f.state()).isEqualTo(TransferState.FAILED);
                assertThat(f.message()).contains("ExpiredToken");
                writeLog(out.resolve("ok.log"), service.log(ok));
                writeLog(out.resolve("failed.log"), service.log(failed));
            }
            for (var c : s3.calls()) {
                FaultArtifacts.secretsInAuthorization(c.header("Authorization"));
            }
        }
        assertThat(home.resolve("queue.json")).exists();
        FaultArtifacts.assertNoSecrets(out, 4);
    }

    /** Everything the fault suite wrote in this JVM so far. */
    @Test
    @Order(5)
    void noArtifactOfTheFaultSuiteHoldsASecret() throws IOException {
        Path root = FaultArtifacts.root();
        try (Stream<Path> s = Files.list(root)) {
            for (Path classDir : s.sorted().toList()) {
                System.out.println("covered: " + classDir.getFileName() + " (" + FaultArtifacts.scan(classDir).files()
                        + " files)");
            }
        }
        int own = FaultArtifacts.scan(DIR).files();
        assertThat(own).as("files this class made Ferry write").isGreaterThanOrEqualTo(30);
        assertThat(FaultArtifacts.secretCount()).as("secrets looked for").isGreaterThanOrEqualTo(6);
        FaultArtifacts.assertNoSecrets(root, own);
    }

    private static void awaitEnd(TransferService service, long id) throws InterruptedException {
        Await.until("transfer " + id + " to end", () -> service.snapshot(id).map(t -> t.state().isTerminal())
                .orElse(false));
    }

    private static void writeLog(Path file, List<LogEntry> log) throws IOException {
        StringBuilder b = new StringBuilder();
        for (LogEntry e : log) {
            b.append(e.time()).append(e.problem() ? " ! " : "   ").append(e.text()).append('\n');
        }
        Files.writeString(file, b.toString());
    }
}
