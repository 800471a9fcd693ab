package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.S3ProxyServer;

/**
 * What every test of the real `ferry` command line against s3proxy starts from: the shared server, a runner for
 * `ferry` in a child JVM with a home of its own under the test's folder, a fresh bucket and the endpoint.
 */
abstract class CliS3Test {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    S3ProxyServer s3;
    CliRunner cli;
    String bucket;
    String endpoint;

    @BeforeEach
    void startCli() throws IOException {
        s3 = S3ProxyServer.get();
        cli = new CliRunner(Files.createDirectories(dir.resolve("home"))).env(s3.cliEnv());
        bucket = s3.newBucket();
        endpoint = s3.endpoint().toString();
    }
}
