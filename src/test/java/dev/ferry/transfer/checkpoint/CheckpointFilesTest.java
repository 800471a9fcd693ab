package dev.ferry.transfer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ResourceLock(value = Resources.SYSTEM_PROPERTIES, mode = ResourceAccessMode.READ)
class CheckpointFilesTest {

    record Sample(String name, long size, List<String> tags) {
    }

    @TempDir
    Path dir;

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Path file = dir.resolve("a.json");
        Sample value = new Sample("x", 42, List.of("p", "q"));

        CheckpointFiles.write(file, value);

        assertThat(CheckpointFiles.read(file, Sample.class)).isEqualTo(value);
        assertThat(Files.readString(file)).contains("\"size\" : 42");
    }

    @Test
    void aMissingCheckpointReadsAsNone() throws IOException {
        assertThat(CheckpointFiles.read(dir.resolve("absent.json"), Sample.class)).isNull();
        assertThat(CheckpointFiles.read(dir.resolve("no-folder/absent.json"), Sample.class)).isNull();
    }

    /** A checkpoint hidden behind a folder that cannot be searched is an error, not "no checkpoint yet". */
    @Test
    void aCheckpointBehindAnUnsearchableFolderIsAnErrorNotNone() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("locked"));
        Path file = folder.resolve("a.json");
        CheckpointFiles.write(file, new Sample("x", 1, List.of()));
        java.util.Set<java.nio.file.attribute.PosixFilePermission> was = Files.getPosixFilePermissions(folder);
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(file),
                    "this user reaches into folders it has no search permission for (root)");
            assertThatThrownBy(() -> CheckpointFiles.read(file, Sample.class)).isInstanceOf(IOException.class);
        } finally {
            Files.setPosixFilePermissions(folder, was);
        }
    }

    @Test
    void writeLeavesNoTempFiles() throws IOException {
        Path file = dir.resolve("a.json");

        CheckpointFiles.write(file, new Sample("x", 1, List.of()));

        assertThat(listing()).containsExactly("a.json");
    }

    @Test
    void overwriteReplacesTheWholeFile() throws IOException {
        Path file = dir.resolve("a.json");
        CheckpointFiles.write(file, new Sample("a-much-longer-name-than-the-next-one", 1, List.of("t1", "t2", "t3")));

        CheckpointFiles.write(file, new Sample("b", 2, List.of()));

        assertThat(CheckpointFiles.read(file, Sample.class)).isEqualTo(new Sample("b", 2, List.of()));
        assertThat(listing()).containsExactly("a.json");
    }

    @Test
    void writeCreatesMissingFolders() throws IOException {
        Path file = dir.resolve("x/y/z/cp.json");

        CheckpointFiles.write(file, Map.of("k", "v"));

        assertThat(CheckpointFiles.read(file, Map.class)).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void failedMoveLeavesNoTempFileBehind() throws IOException {
        Path target = dir.resolve("busy");
        Files.createDirectories(target.resolve("child"));

        assertThatThrownBy(() -> CheckpointFiles.write(target, Map.of("k", "v"))).isInstanceOf(IOException.class);

        assertThat(listing()).containsExactly("busy");
        assertThat(target).isDirectory();
    }

    @Test
    void readOfMissingFileIsNull() throws IOException {
        assertThat(CheckpointFiles.read(dir.resolve("none.json"), Sample.class)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "{\"name\": \"x\", \"size\": ", "[1, 2]", "{\"size\": \"big\"}", "null",
        "\u0000\u0001"})
    void unreadableContentIsAnIOException(String content) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), content, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CheckpointFiles.read(file, Sample.class)).isInstanceOf(IOException.class);
    }

    @Test
    void readOfADirectoryIsAnIOException() {
        assertThatThrownBy(() -> CheckpointFiles.read(dir, Sample.class)).isInstanceOf(IOException.class);
    }

    @Test
    void defaultDownloadCheckpointIsStable() {
        Path a = CheckpointFiles.defaultDownloadCheckpoint("s3:endpoint", "bucket", "key", null, Path.of("out/file"));
        Path b = CheckpointFiles.defaultDownloadCheckpoint("s3:endpoint", "bucket", "key", null, Path.of("out/file"));

        assertThat(a).isEqualTo(b);
        assertThat(a.getParent()).isEqualTo(FerryHome.checkpoints());
        assertThat(a.getFileName().toString()).matches("download-[0-9a-f]{24}\\.json");
    }

    @Test
    void defaultDownloadCheckpointNormalizesTheDestination() {
        Path plain = CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null, Path.of("out/file"));
        Path dotted = CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null, Path.of("out/./x/../file"));
        Path absolute = CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null,
                Path.of("out/file").toAbsolutePath());

        assertThat(dotted).isEqualTo(plain);
        assertThat(absolute).isEqualTo(plain);
    }

    @Test
    void defaultDownloadCheckpointDiffersWhenAnythingDiffers() {
        Path base = CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null, Path.of("out/file"));

        assertThat(Stream.of(
                CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null, Path.of("out/file2")),
                CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", null, Path.of("other/file")),
                CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k", "v1", Path.of("out/file")),
                CheckpointFiles.defaultDownloadCheckpoint("e", "b", "k2", null, Path.of("out/file")),
                CheckpointFiles.defaultDownloadCheckpoint("e", "b2", "k", null, Path.of("out/file")),
                CheckpointFiles.defaultDownloadCheckpoint("e2", "b", "k", null, Path.of("out/file"))))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void digestSeparatesItsParts() {
        assertThat(CheckpointFiles.digest("ab", "c")).isNotEqualTo(CheckpointFiles.digest("a", "bc"));
        assertThat(CheckpointFiles.digest((String) null)).isNotEqualTo(CheckpointFiles.digest(""));
        assertThat(CheckpointFiles.digest("a", null)).isNotEqualTo(CheckpointFiles.digest("a"));
        assertThat(CheckpointFiles.digest("a", "b")).isEqualTo(CheckpointFiles.digest("a", "b")).hasSize(24);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
