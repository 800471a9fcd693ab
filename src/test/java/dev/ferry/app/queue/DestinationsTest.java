package dev.ferry.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.transfer.DownloadRequest;

class DestinationsTest {
    @TempDir
    Path dir;

    @Test
    void numbersNamesThatExistOnDiskOrInTheQueue() throws Exception {
        Files.writeString(dir.resolve("a.iso"), "x");
        Files.writeString(DownloadRequest.tempFileFor(dir.resolve("b.iso")), "partial of another download");
        Destinations d = new Destinations(List.of(dir.resolve("c.iso")));
        assertThat(d.pick(dir, "a.iso")).isEqualTo(dir.resolve("a (1).iso"));
        assertThat(d.pick(dir, "b.iso")).isEqualTo(dir.resolve("b (1).iso"));
        assertThat(d.pick(dir, "c.iso")).isEqualTo(dir.resolve("c (1).iso"));
        assertThat(d.pick(dir, "c.iso")).isEqualTo(dir.resolve("c (2).iso"));
        assertThat(d.pick(dir, "free.iso")).isEqualTo(dir.resolve("free.iso"));
        assertThat(d.pick(dir, "README")).isEqualTo(dir.resolve("README"));
        assertThat(d.pick(dir, "README")).isEqualTo(dir.resolve("README (1)"));
    }

    @Test
    void keysNeverReachOutsideTheFolder() {
        Destinations d = new Destinations(List.of());
        assertThat(d.pick(dir, "../../etc/passwd")).isEqualTo(dir.resolve("%2E%2E/%2E%2E/etc/passwd"));
        assertThat(d.pick(dir, "/abs/olute")).isEqualTo(dir.resolve("abs/olute"));
        assertThat(d.pick(dir, "..")).isEqualTo(dir.resolve("%2E%2E"));
        assertThat(d.pick(dir, "folder/")).isNull();
        assertThat(d.pick(dir, "")).isNull();
    }

    @Test
    void numberingKeepsTheExtension() {
        assertThat(Destinations.numbered(Path.of("/x/a.tar.gz"), 2)).isEqualTo(Path.of("/x/a.tar (2).gz"));
        assertThat(Destinations.numbered(Path.of("/x/.hidden"), 1)).isEqualTo(Path.of("/x/.hidden (1)"));
    }
}
