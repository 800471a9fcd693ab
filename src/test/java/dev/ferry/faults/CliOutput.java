package dev.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.CliRunner;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;

/** Reading the CLI's JSON lines and checkpoints, and hashing an object on the server. */
final class CliOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CliOutput() {
    }

    static List<JsonNode> lines(CliRunner.Result r) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.stdoutLines()) {
            if (line.startsWith("{")) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    static JsonNode result(CliRunner.Result r) {
        JsonNode last = null;
        for (JsonNode n : lines(r)) {
            if ("result".equals(n.path("type").asText())) {
                last = n;
            }
        }
        assertThat(last).as("a result line in: %s / %s", r.stdout(), r.stderr()).isNotNull();
        return last;
    }

    static List<JsonNode> events(CliRunner.Result r, String event) {
        return lines(r).stream().filter(n -> "event".equals(n.path("type").asText())
                && event.equals(n.path("event").asText())).toList();
    }

    /** Waits until the run's only checkpoint records more than {@code bytes}; fails at once if the run ends first. */
    static void awaitCheckpointBeyond(CliRunner cli, CliRunner.Running run, long bytes) throws Exception {
        Await.until("a checkpoint beyond " + bytes + " bytes", Duration.ofSeconds(60), () -> {
            if (!run.process().isAlive()) {
                return true;
            }
            try {
                List<Path> cps = cli.checkpoints();
                return cps.size() == 1
                        && CheckpointFiles.read(cps.get(0), DownloadCheckpoint.class).completedBytes() > bytes;
            } catch (IOException | RuntimeException raceWithRename) {
                return false;
            }
        });
        assertThat(run.process().isAlive()).as("ferry still running; output: %s", run.stdoutSoFar()).isTrue();
    }

    /** SHA-256 of an object as the server holds it, read directly (not through any fault). */
    static String sha256(S3Store store, String bucket, String key, long size) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (RangeBody body = store.getRange(ObjectRef.of(bucket, key), 0, size - 1, null, new CancelSignal())) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
                while (body.channel().read(buf.clear()) >= 0) {
                    md.update(buf.flip());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
