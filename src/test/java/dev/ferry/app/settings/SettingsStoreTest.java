package dev.ferry.app.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void settingsSurviveAReopen() {
        Path file = dir.resolve("settings.json");
        try (SettingsStore s = new SettingsStore(file)) {
            assertThat(s.get().maxConcurrent()).isEqualTo(3);
            s.set(s.get().withMaxConcurrent(5).withGlobalLimit(1 << 20).withDownloadFolder("/data/in")
                    .withDefaultConnection("c1").withTheme(AppSettings.DARK)
                    .withWindow(new AppSettings.WindowBounds(10, 20, 900, 600, false)));
        }
        try (SettingsStore s = new SettingsStore(file)) {
            assertThat(s.get()).isEqualTo(new AppSettings(AppSettings.VERSION, "/data/in", 5, 1 << 20, "c1",
                    AppSettings.DARK, new AppSettings.WindowBounds(10, 20, 900, 600, false)));
            assertThat(s.loadProblem()).isEmpty();
        }
    }

    @Test
    void anUnreadableFileGivesDefaultsAndSaysSo() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "[1, 2");
        try (SettingsStore s = new SettingsStore(file)) {
            assertThat(s.get().maxConcurrent()).isEqualTo(3);
            assertThat(s.get().downloadFolder()).isNotBlank();
            assertThat(s.loadProblem()).hasValueSatisfying(m -> assertThat(m).contains("could not be read"));
        }
    }

    @Test
    void outOfRangeValuesFallBackToDefaults() {
        AppSettings s = new AppSettings(1, "/x", 0, -5, null, "purple", null);
        assertThat(s.maxConcurrent()).isEqualTo(3);
        assertThat(s.globalLimit()).isZero();
        assertThat(s.theme()).isEqualTo(AppSettings.LIGHT);
    }

    @Test
    void theDownloadsFolderFollowsTheXdgUserDirs() {
        Path home = Path.of("/home/ann");
        assertThat(DownloadsFolder.fromUserDirs("XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n", home))
                .isEqualTo(home.resolve("Téléchargements"));
        assertThat(DownloadsFolder.fromUserDirs("# c\nXDG_DOWNLOAD_DIR=\"/srv/dl\"", home)).isEqualTo(Path.of("/srv/dl"));
        assertThat(DownloadsFolder.fromUserDirs("XDG_DOWNLOAD_DIR=\"$HOME\"", home)).isEqualTo(home.resolve("Downloads"));
        assertThat(DownloadsFolder.fromUserDirs(null, home)).isEqualTo(home.resolve("Downloads"));
        assertThat(DownloadsFolder.fromUserDirs("XDG_MUSIC_DIR=\"$HOME/Music\"", home))
                .isEqualTo(home.resolve("Downloads"));
    }
}
