package dev.ferry.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * A real S3 server for tests: s3proxy (resolved by Maven into target/test-tools) started once per test
 * JVM as a subprocess on 127.0.0.1 with its filesystem backend and fresh random credentials.
 */
public final class S3ProxyServer {
    private static S3ProxyServer instance;

    private final Process process;
    private final URI endpoint;
    private final Credentials credentials;
    private final Path dataDir;

    private S3ProxyServer(Process process, URI endpoint, Credentials credentials, Path dataDir) {
        this.process = process;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.dataDir = dataDir;
    }

    /** The shared server, started on first use. */
    public static synchronized S3ProxyServer get() {
        if (instance == null) {
            try {
                instance = start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start s3proxy: " + e.getMessage(), e);
            }
        }
        return instance;
    }

    private static S3ProxyServer start() throws IOException {
        Path jar = Path.of(System.getProperty("ferry.s3proxy.jar", "target/test-tools/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: run the tests through Maven (mvn verify), which fetches it");
        }
        Path work = Files.createTempDirectory("s3proxy-");
        Path data = Files.createDirectories(work.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Credentials creds = new Credentials("test-" + UUID.randomUUID().toString().substring(0, 8),
                "secret-" + UUID.randomUUID(), null);
        Path props = work.resolve("s3proxy.conf");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + creds.accessKeyId(),
                "s3proxy.credential=" + creds.secretAccessKey(),
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--properties", props.toString()))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("s3proxy.log").toFile())
                .start();
        // the server and its objects (gigabytes after a full run) go when the test JVM ends
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
                deleteTree(work);
            } catch (InterruptedException | IOException leftBehind) {
                // a temp folder the OS cleans up later
            }
        }));
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("s3proxy exited: " + Files.readString(work.resolve("s3proxy.log")));
            }
            if (answers(endpoint)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("s3proxy did not start within 60 s");
            }
            sleep(200);
        }
        return new S3ProxyServer(p, endpoint, creds, data);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int code = c.getResponseCode();
            c.disconnect();
            return code == 403 || code == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public Credentials credentials() {
        return credentials;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Environment variables that point the CLI at this server. */
    public Map<String, String> cliEnv() {
        return Map.of("AWS_ACCESS_KEY_ID", credentials.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey(),
                "AWS_REGION", "us-east-1");
    }

    /** A client for this server (path-style, quick retries). */
    public S3Store store() {
        return store(credentials);
    }

    public S3Store store(Credentials creds) {
        return new S3Store(new S3Config(endpoint, "us-east-1", creds, true), HttpClients.create(16),
                RetryPolicy.fast(3));
    }

    /** Creates a bucket with a unique name and returns it. */
    public String newBucket() {
        String bucket = "b-" + UUID.randomUUID().toString().substring(0, 13);
        try {
            store().createBucket(bucket, new CancelSignal());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bucket;
    }

    /** Uploads bytes as one object; returns its ETag. */
    public String put(String bucket, String key, byte[] content) {
        try {
            return store().putObject(ObjectRef.of(bucket, key),
                    RequestBody.create(content, MediaType.get("application/octet-stream")), Map.of(), new CancelSignal());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Uploads a file as one object; returns its ETag. */
    public String put(String bucket, String key, Path file) {
        try {
            return store().putObject(ObjectRef.of(bucket, key),
                    RequestBody.create(file.toFile(), MediaType.get("application/octet-stream")), Map.of(),
                    new CancelSignal());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
