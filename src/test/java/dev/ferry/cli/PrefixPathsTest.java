package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a prefix download puts each object: its key from the prefix's last '/' on. */
class PrefixPathsTest {
    @Test
    void aPrefixEndingInASlashGivesItsContent() {
        assertThat(DownloadCommand.pathUnder("photos/", "photos/a.jpg")).isEqualTo("a.jpg");
        assertThat(DownloadCommand.pathUnder("photos/", "photos/2024/b.jpg")).isEqualTo("2024/b.jpg");
        assertThat(DownloadCommand.pathUnder("", "top.txt")).isEqualTo("top.txt");
        assertThat(DownloadCommand.pathUnder("", "d/e.txt")).isEqualTo("d/e.txt");
    }

    @Test
    void aPrefixWithoutOneKeepsTheNamesItMatches() {
        assertThat(DownloadCommand.pathUnder("photos", "photos/a.jpg")).isEqualTo("photos/a.jpg");
        assertThat(DownloadCommand.pathUnder("photos", "photos-old/c.jpg")).isEqualTo("photos-old/c.jpg");
        assertThat(DownloadCommand.pathUnder("a/small-50", "a/small-50-64K/obj-01.bin"))
                .isEqualTo("small-50-64K/obj-01.bin");
        assertThat(DownloadCommand.pathUnder("docs/readme.txt", "docs/readme.txt")).isEqualTo("readme.txt");
    }

    @Test
    void anObjectNamedLikeAnothersPartialFileIsFound() {
        java.util.Set<String> names = java.util.Set.of("a.bin", "a.bin.ferry-partial", "a.bin.ferry-partial.lock",
                "d/b.bin.ferry-partial", "c.bin");

        assertThat(DownloadCommand.partialFileOf("a.bin.ferry-partial", names)).isEqualTo("a.bin");
        assertThat(DownloadCommand.partialFileOf("a.bin.ferry-partial.lock", names)).isEqualTo("a.bin");
        assertThat(DownloadCommand.partialFileOf("d/b.bin.ferry-partial", names)).as("no d/b.bin").isNull();
        assertThat(DownloadCommand.partialFileOf("a.bin", names)).isNull();
        assertThat(DownloadCommand.partialFileOf("c.bin", names)).isNull();
    }
}
