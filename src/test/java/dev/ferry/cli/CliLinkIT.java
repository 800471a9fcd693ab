package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.TestData;
import dev.ferry.testing.WebServer;

/** {@code ferry download https://…} as a person runs it, against a real web server (embedded Jetty). */
class CliLinkIT {
    private static final int MIB = 1 << 20;
    private static final String TOKEN = "tok-5ecret-one";
    private static final String FRESH_TOKEN = "tok-5ecret-two";

    @TempDir
    Path dir;
    private Path www;
    private Path out;
    private WebServer web;
    private CliRunner cli;

    @BeforeEach
    void setUp() throws Exception {
        www = Files.createDirectories(dir.resolve("www"));
        out = Files.createDirectories(dir.resolve("out"));
        web = WebServer.serve(www);
        cli = new CliRunner(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        web.close();
    }

    private static JsonNode resultLine(String stdout) throws Exception {
        String[] lines = stdout.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void aLinkIsSavedUnderTheNameTheServerSuggestsWithoutShowingItsQuery() throws Exception {
        byte[] content = TestData.bytes(3 * MIB + 5, 21);
        Files.write(www.resolve("export.cgi"), content);
        web.contentDisposition("attachment; filename=\"../report 2026.bin\"");

        CliRunner.Result r = cli.run("download", web.url("export.cgi?token=" + TOKEN), out + "/");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        Path saved = out.resolve("report 2026.bin");
        assertThat(TestData.sha256(saved)).isEqualTo(TestData.sha256(content));
        assertThat(r.stdout() + r.stderr()).contains("export.cgi?…").doesNotContain(TOKEN);
        try (var files = Files.list(out)) {
            assertThat(files).containsExactly(saved);
        }
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void aKilledDownloadContinuesFromAFreshLinkAfterTheFirstExpired() throws Exception {
        byte[] content = TestData.bytes(24 * MIB, 22);
        Files.write(www.resolve("big.iso"), content);
        web.requireToken(TOKEN);
        Path dest = out.resolve("big.iso");

        CliRunner.Running running = cli.start("download", web.url("big.iso?token=" + TOKEN), dest.toString(),
                "--limit", "8MiB/s", "--part-size", "5MiB");
        cli.awaitCheckpointBeyond(6 * MIB, Duration.ofSeconds(30));
        running.kill9();
        web.requireToken(FRESH_TOKEN);

        CliRunner.Result expired = cli.run("download", web.url("big.iso?token=" + TOKEN), dest.toString());
        assertThat(expired.exitCode()).isEqualTo(2);
        assertThat(expired.stderr()).contains("expired").contains("fresh link").doesNotContain(TOKEN);
        assertThat(cli.checkpoints()).hasSize(1);
        assertThat(Files.readString(cli.checkpoints().get(0))).doesNotContain("tok-5ecret");

        CliRunner.Result fresh = cli.run("download", web.url("big.iso?token=" + FRESH_TOKEN), dest.toString(),
                "--json");

        assertThat(fresh.exitCode()).as(fresh.stderr()).isZero();
        assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
        JsonNode result = resultLine(fresh.stdout());
        assertThat(result.get("reused").asLong()).isGreaterThanOrEqualTo(6L * MIB);
        assertThat(result.get("fetched").asLong()).isEqualTo(content.length - result.get("reused").asLong());
        assertThat(fresh.stdout() + fresh.stderr()).doesNotContain("tok-5ecret");
        assertThat(cli.checkpoints()).isEmpty();
    }

    @Test
    void objectStoreOptionsAndBadLinksAreRefusedClearly() throws Exception {
        CliRunner.Result endpoint = cli.run("download", web.url("f.bin"), "--endpoint", "http://127.0.0.1:1");
        assertThat(endpoint.exitCode()).isEqualTo(2);
        assertThat(endpoint.stderr()).contains("not links").doesNotContain("Exception");

        CliRunner.Result missing = cli.run("download", web.url("nothing-here.bin?token=" + TOKEN), out + "/");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("HTTP 404").doesNotContain(TOKEN).doesNotContain("Exception");

        CliRunner.Result malformed = cli.run("download", "http://exa mple.com/f?token=" + TOKEN);
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("not a valid link").doesNotContain(TOKEN);
    }
}
