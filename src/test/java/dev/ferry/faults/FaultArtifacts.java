package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.ferry.testing.FaultProxy;
import dev.ferry.transfer.event.TransferEvent;

/**
 * One well-known folder per test JVM for everything the fault tests make Ferry write (CLI output,
 * FERRY_HOME with its checkpoints and queue, event logs), and the secrets that must never show up in it.
 * Each fault class scans the whole root when it ends (so the last one to end has scanned everything the
 * suite wrote), and so does the last test of {@link SecretsScanIT}.
 * The folder is deleted when the JVM exits, unless {@code -Dferry.faults.keep=true}.
 */
final class FaultArtifacts {
    /** Larger files are test objects (downloaded data), not output. */
    static final long MAX_SCANNED_BYTES = 8L << 20;
    private static final Pattern GENERIC = Pattern.compile(
            "X-Amz-Signature=|X-Tos-Signature=|Signature=[0-9a-fA-F]{16,}|X-Amz-Security-Token[=:]",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static final AtomicInteger DIRS = new AtomicInteger();
    private static Path root;

    private FaultArtifacts() {
    }

    /** {@code <tmp>/ferry-faults-<pid>}, made on first use. */
    static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                        "ferry-faults-" + ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!Boolean.getBoolean("ferry.faults.keep")) {
                Path r = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(r), "ferry-faults-cleanup"));
            }
        }
        return root;
    }

    /** A fresh folder under the root, named after {@code name}. */
    static Path newDir(String name) {
        try {
            return Files.createDirectories(root().resolve(name + "-" + DIRS.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Remembers a value that must never appear in any artifact. */
    static void secret(String label, String value) {
        if (value != null && !value.isBlank()) {
            SECRETS.put(value, label);
        }
    }

    /** Remembers every signature and session token the proxy saw on the wire. */
    static void secretsSeenBy(FaultProxy proxy) {
        proxy.signatures().forEach(s -> secret("a request signature", s));
        proxy.sessionTokens().forEach(s -> secret("the session token", s));
    }

    /** Remembers the signature of an Authorization header a test server received. */
    static void secretsInAuthorization(String authorization) {
        if (authorization != null) {
            Matcher m = Pattern.compile("Signature=([0-9a-fA-F]{16,})").matcher(authorization);
            if (m.find()) {
                secret("a request signature", m.group(1));
            }
        }
    }

    static int secretCount() {
        return SECRETS.size();
    }

    /** What a scan looked at and what it found. */
    record Scan(int files, long bytes, int skippedLarge, List<String> findings) {
    }

    static Scan scan(Path dir) {
        List<String> findings = new ArrayList<>();
        int files = 0;
        int skipped = 0;
        long bytes = 0;
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : all) {
            String text;
            try {
                if (Files.size(f) > MAX_SCANNED_BYTES) {
                    skipped++;
                    continue;
                }
                text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            } catch (IOException vanished) {
                continue;
            }
            files++;
            bytes += text.length();
            for (Map.Entry<String, String> e : SECRETS.entrySet()) {
                if (text.contains(e.getKey())) {
                    findings.add(dir.relativize(f) + " contains " + e.getValue());
                }
            }
            Matcher m = GENERIC.matcher(text);
            if (m.find()) {
                findings.add(dir.relativize(f) + " contains '" + m.group() + "'");
            }
        }
        return new Scan(files, bytes, skipped, findings);
    }

    /** Scans {@code dir}, prints what it covered, fails on any finding or when it saw fewer files than expected. */
    static Scan assertNoSecrets(Path dir, int minFiles) {
        Scan s = scan(dir);
        System.out.printf("secret scan of %s: %d files, %d bytes, %d large data files skipped, %d secrets looked for%n",
                dir, s.files(), s.bytes(), s.skippedLarge(), SECRETS.size());
        assertThat(s.findings()).as("secrets in %s", dir).isEmpty();
        assertThat(s.files()).as("files scanned in %s", dir).isGreaterThanOrEqualTo(minFiles);
        return s;
    }

    /**
     * Writes what an engine-level run reported, as the app's event log and a crash report would show it:
     * every event, the result's message and the failure's stack trace with all its causes.
     */
    static void writeLog(Path file, List<TransferEvent> events, String result, Throwable error) {
        StringBuilder b = new StringBuilder();
        for (TransferEvent e : events) {
            b.append(e.time()).append(' ').append(e.type());
            if (e.part() > 0) {
                b.append(" part ").append(e.part()).append(" [").append(e.rangeStart()).append('-')
                        .append(e.rangeEnd()).append(']');
            }
            b.append(' ').append(e.message()).append('\n');
        }
        b.append("result: ").append(result).append('\n');
        if (error != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            error.printStackTrace(new java.io.PrintWriter(trace));
            b.append(trace);
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What every fault class does when it ends: checks that it wrote at least {@code minOwnFiles} files into
     * {@code ownDir}, and scans everything under the root, so that whichever class ends last has scanned all
     * the fault suite wrote, whatever order the classes ran in.
     */
    static void assertNoSecretsAfterClass(Path ownDir, int minOwnFiles) {
        assertThat(scan(ownDir).files()).as("files written under %s", ownDir).isGreaterThanOrEqualTo(minOwnFiles);
        assertNoSecrets(root(), minOwnFiles);
    }

    /** Deletes large test data files under {@code dir} (keeps the outputs for the scan). */
    static void dropLargeFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > MAX_SCANNED_BYTES) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException ignored) {
            // best effort: only disk space is at stake
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }
}
