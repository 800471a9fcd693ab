package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.testing.CliRunner;
import dev.ferry.testing.FakeS3;
import dev.ferry.testing.TestData;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;

/**
 * A bucket whose keys are hostile, downloaded as a prefix into a folder by the command line: keys with
 * {@code ..} segments, a leading slash, backslashes, control characters, names Windows reserves, a name too
 * long for the file system, a folder marker, a key that is both a file and a folder, and one that leads
 * through a symbolic link out of the folder. Nothing may be written outside the folder; every other name is
 * made safe in the one predictable way {@link dev.ferry.transfer.SafePaths} documents; what cannot be
 * written is reported, without a stack trace. Then a server whose range answers do not match the requests.
 */
class HostileInputIT {
    private static final String BUCKET = "hostile";
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("windows");
    private static Path classDir;
    private static final AtomicInteger RAN = new AtomicInteger();

    private Path dir;

    @BeforeAll
    static void folder() {
        classDir = FaultArtifacts.newDir("HostileInputIT");
        FaultArtifacts.secret("FakeS3's secret key", FakeS3.SECRET);
    }

    @AfterAll
    static void scan() {
        FaultArtifacts.assertNoSecretsAfterClass(classDir, 2 * RAN.get());
    }

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(classDir.resolve("t" + System.nanoTime()));
        RAN.incrementAndGet();
    }

    private CliRunner cli() throws IOException {
        return new CliRunner(Files.createDirectories(dir.resolve("home"))).env(Map.of(
                "AWS_ACCESS_KEY_ID", FakeS3.CREDENTIALS.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", FakeS3.SECRET,
                "AWS_REGION", "us-east-1"));
    }

    // ------------------------------------------------------------------ hostile keys

    /** Keys under {@code pre/} and the file each must become under the folder (null: none may be written). */
    private static Map<String, String> hostileKeys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("pre/plain.txt", "plain.txt");
        keys.put("pre/../../escape.txt", null);
        keys.put("pre/..\\..\\win-escape.txt", "%2E%2E/%2E%2E/win-escape.txt");
        keys.put("pre//etc/passwd", "etc/passwd");
        keys.put("pre/C:\\Windows\\evil.txt", WINDOWS ? "C_/Windows/evil.txt" : "C:/Windows/evil.txt");
        keys.put("pre/ctl\u0001\u0007\u001b[31m\u007f.txt", "ctl___[31m_.txt");
        keys.put("pre/line\nbreak\r.txt", "line_break_.txt");
        keys.put("pre/CON", WINDOWS ? "_CON" : "CON");
        keys.put("pre/nul.txt", WINDOWS ? "_nul.txt" : "nul.txt");
        keys.put("pre/COM1.log", WINDOWS ? "_COM1.log" : "COM1.log");
        keys.put("pre/trailing. ", WINDOWS ? "trailing__" : "trailing. ");
        keys.put("pre/sub/", null);
        keys.put("pre/x", "x");
        keys.put("pre/x/y", null);
        keys.put("pre/link/evil.txt", null);
        keys.put("pre/" + "n".repeat(300), null);
        return keys;
    }

    @Test
    void aPrefixOfHostileKeysWritesOnlyInsideTheFolderUnderPredictableNames() throws Exception {
        Map<String, String> keys = hostileKeys();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Map<String, byte[]> content = new TreeMap<>();
        int i = 0;
        for (String key : keys.keySet()) {
            content.put(key, key.endsWith("/") ? new byte[0] : TestData.bytes(1000 + i++, i));
        }
        try (MockWebServer server = bucketOf(content)) {
            CliRunner.Result r = cli().run("download", "s3://" + BUCKET + "/pre/", root.toString(), "--endpoint",
                    "http://127.0.0.1:" + server.getPort(), "--objects", "1", "--json");

            assertThat(r.exitCode()).as("some keys cannot be written: %s", r.stderr()).isEqualTo(1);
            assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(filesUnder(outside)).as("nothing through the link").isEmpty();
            assertThat(filesUnder(dir)).as("every file Ferry wrote is inside the folder").allMatch(f ->
                    f.startsWith("root/") || f.startsWith("home/"));
            Map<String, String> expected = new TreeMap<>();
            keys.forEach((key, name) -> {
                if (name != null) {
                    expected.put(name, TestData.sha256(content.get(key)));
                }
            });
            Map<String, String> written = new TreeMap<>();
            for (String f : filesUnder(root)) {
                written.put(f, TestData.sha256(root.resolve(f)));
            }
            assertThat(written).as("files under the folder, by name").isEqualTo(expected);
            assertThat(resultFor(r, "pre/../../escape.txt").get("message").asText()).contains("'..' path segment");
            assertThat(r.stderr()).contains("pre/link/evil.txt: skipped").contains("leads outside");
            assertThat(r.stderr()).contains("pre/x/y: skipped");
            assertThat(resultFor(r, "pre/" + "n".repeat(300)).get("state").asText()).isEqualTo("FAILED");
        }
    }

    private static JsonNode resultFor(CliRunner.Result r, String key) {
        return CliOutput.lines(r).stream().filter(n -> "result".equals(n.path("type").asText())
                && n.path("source").asText().equals("s3://" + BUCKET + "/" + key)).findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + key + " in " + r.stdout()));
    }

    /** A bucket holding {@code content} by key: ListObjectsV2 (URL-encoded), HEAD and ranged GETs. */
    private static MockWebServer bucketOf(Map<String, byte[]> content) throws IOException {
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/" + BUCKET + "/") || path.equals("/" + BUCKET)) {
                    return listing(content, request.getUrl().queryParameter("prefix"));
                }
                String key = percentDecode(path.substring(BUCKET.length() + 2));
                byte[] body = content.get(key);
                if (body == null) {
                    return FakeS3.error(404, "NoSuchKey", "The specified key does not exist.");
                }
                return object(request, body);
            }
        });
        server.start();
        return server;
    }

    private static MockResponse listing(Map<String, byte[]> content, String prefix) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult>"
                + "<Name>" + BUCKET + "</Name><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>");
        content.forEach((key, body) -> {
            if (prefix == null || key.startsWith(prefix)) {
                xml.append("<Contents><Key>").append(URLEncoder.encode(key, StandardCharsets.UTF_8))
                        .append("</Key><Size>").append(body.length).append("</Size><ETag>&quot;")
                        .append(md5(body)).append("&quot;</ETag></Contents>");
            }
        });
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/xml")
                .body(xml.append("</ListBucketResult>").toString()).build();
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    private static MockResponse object(RecordedRequest request, byte[] body) {
        MockResponse.Builder b = new MockResponse.Builder().setHeader("ETag", "\"" + md5(body) + "\"")
                .setHeader("Last-Modified", "Tue, 01 Jul 2025 10:00:00 GMT").setHeader("Accept-Ranges", "bytes");
        if ("HEAD".equals(request.getMethod())) {
            return b.code(200).setHeader("Content-Length", body.length).build();
        }
        String range = request.getHeaders().get("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            return b.code(200).body(new Buffer().write(body)).build();
        }
        int start = Integer.parseInt(m.group(1));
        int end = Math.min(Integer.parseInt(m.group(2)), body.length - 1);
        return b.code(206).setHeader("Content-Range", "bytes " + start + "-" + end + "/" + body.length)
                .body(new Buffer().write(body, start, end - start + 1)).build();
    }

    /** Percent-decoding of a path as S3 does it: '+' is a plus. */
    private static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file under {@code folder}, as a relative path with '/' separators (links not followed). */
    private static List<String> filesUnder(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    // ------------------------------------------------------------------ range answers that do not match

    /**
     * Ranged GETs answered with the right Content-Range but a body of another length (a chunked body longer
     * than the range, one shorter, and a Content-Length that disagrees), and with a Content-Range for other
     * bytes: the bytes past a range are never written, what a short or refused answer lacked is fetched again,
     * and the file ends exact.
     */
    @Test
    void rangeAnswersThatDoNotMatchTheRequestNeverReachTheFile() throws Exception {
        byte[] content = TestData.bytes(24 * (1 << 20) + 11, 3);
        try (FakeS3 s3 = new FakeS3(content)) {
            AtomicInteger hostile = new AtomicInteger();
            s3.fault(c -> {
                if (!c.isRangedGet() || c.rangedIndex() > 3) {
                    return null;
                }
                hostile.incrementAndGet();
                long start = c.start();
                long end = c.end();
                int length = (int) (end - start + 1);
                return switch (c.rangedIndex()) {
                    case 0 -> s3.base(206).setHeader("Content-Range", "bytes " + start + "-" + end + "/"
                            + content.length).chunkedBody(new Buffer().write(content, (int) start, length)
                            .write(TestData.bytes(4096, 77)), 8192).build();
                    case 1 -> s3.base(206).setHeader("Content-Range", "bytes " + start + "-" + end + "/"
                            + content.length).chunkedBody(new Buffer().write(content, (int) start, length / 2),
                            8192).build();
                    case 2 -> s3.base(206).setHeader("Content-Range", "bytes " + start + "-" + end + "/"
                            + content.length).body(new Buffer().write(content, (int) start, length - 100)).build();
                    default -> s3.partial(start + 1, end + 1, start + 1, end + 1);
                };
            });
            Path dest = dir.resolve("ranges.bin");

            CliRunner.Result r = cli().run("download", "s3://" + FakeS3.BUCKET + "/" + FakeS3.KEY, dest.toString(),
                    "--endpoint", "http://127.0.0.1:" + s3.server().getPort(), "--part-size", "5MiB",
                    "--connections", "2", "--json");

            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(hostile).hasValue(4);
            assertThat(TestData.sha256(dest)).isEqualTo(TestData.sha256(content));
            assertThat(s3.rangedGets()).as("what the short and refused answers lacked was asked for again")
                    .hasSizeGreaterThan(hostile.get());
            assertThat(r.stderr()).doesNotContain("\tat ");
        }
    }
}
