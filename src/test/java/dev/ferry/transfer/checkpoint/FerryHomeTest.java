package dev.ferry.transfer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

class FerryHomeTest {
    private static final String HOME = "/home/ann";

    @Test
    void linuxUsesXdgDataHomeWhenAbsolute() {
        assertThat(FerryHome.platformDefault("Linux", HOME, "/data/xdg", null))
                .isEqualTo(Path.of("/data/xdg", "ferry"));
    }

    @Test
    void linuxFallsBackToLocalShare() {
        Path expected = Path.of(HOME, ".local", "share", "ferry");

        assertThat(FerryHome.platformDefault("Linux", HOME, null, null)).isEqualTo(expected);
        assertThat(FerryHome.platformDefault("Linux", HOME, "", null)).isEqualTo(expected);
        assertThat(FerryHome.platformDefault("Linux", HOME, "   ", null)).isEqualTo(expected);
    }

    @Test
    void relativeXdgDataHomeIsIgnored() {
        assertThat(FerryHome.platformDefault("Linux", HOME, "relative/data", null))
                .isEqualTo(Path.of(HOME, ".local", "share", "ferry"));
    }

    @Test
    void otherUnixesFollowTheLinuxRules() {
        assertThat(FerryHome.platformDefault("FreeBSD", HOME, "/x", null)).isEqualTo(Path.of("/x", "ferry"));
        assertThat(FerryHome.platformDefault("", HOME, null, null))
                .isEqualTo(Path.of(HOME, ".local", "share", "ferry"));
    }

    @Test
    void windowsUsesLocalAppData() {
        assertThat(FerryHome.platformDefault("Windows 11", "/users/ann", "/ignored", "/appdata/local"))
                .isEqualTo(Path.of("/appdata/local", "Ferry"));
    }

    @Test
    void windowsWithoutLocalAppDataUsesTheProfileFolder() {
        Path expected = Path.of("/users/ann", "AppData", "Local", "Ferry");

        assertThat(FerryHome.platformDefault("Windows 10", "/users/ann", null, null)).isEqualTo(expected);
        assertThat(FerryHome.platformDefault("WINDOWS SERVER 2022", "/users/ann", null, " ")).isEqualTo(expected);
    }

    @Test
    void macUsesApplicationSupport() {
        assertThat(FerryHome.platformDefault("Mac OS X", "/Users/ann", "/ignored", "/ignored"))
                .isEqualTo(Path.of("/Users/ann", "Library", "Application Support", "Ferry"));
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void systemPropertyOverridesEverything() {
        String old = System.getProperty("ferry.home");
        try {
            System.setProperty("ferry.home", "/tmp/custom-ferry-home");

            assertThat(FerryHome.dir()).isEqualTo(Path.of("/tmp/custom-ferry-home"));
            assertThat(FerryHome.checkpoints()).isEqualTo(Path.of("/tmp/custom-ferry-home", "checkpoints"));
        } finally {
            restore(old);
        }
    }

    @Test
    @ResourceLock(Resources.SYSTEM_PROPERTIES)
    void blankSystemPropertyIsIgnored() {
        String old = System.getProperty("ferry.home");
        try {
            System.setProperty("ferry.home", " ");

            assertThat(FerryHome.dir().toString()).isNotBlank();
            assertThat(FerryHome.dir()).isNotEqualTo(Path.of(" "));
        } finally {
            restore(old);
        }
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty("ferry.home");
        } else {
            System.setProperty("ferry.home", old);
        }
    }
}
