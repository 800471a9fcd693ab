package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FerryTest {
    @Test
    void aMissingDisplayIsExplainedBeforeJavaFxStarts() {
        assertThat(Ferry.displayProblem("Linux", Map.of(), null)).contains("DISPLAY is not set").contains("--help");
        assertThat(Ferry.displayProblem("Linux", Map.of("DISPLAY", ":0"), null)).isNull();
        assertThat(Ferry.displayProblem("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"), null)).isNull();
        assertThat(Ferry.displayProblem("Linux", Map.of("DISPLAY", " "), null)).isNotNull();
        assertThat(Ferry.displayProblem("Linux", Map.of(), "Monocle")).isNull();
        assertThat(Ferry.displayProblem("Windows 11", Map.of(), null)).isNull();
        assertThat(Ferry.displayProblem("Mac OS X", Map.of(), null)).isNull();
    }

    @Test
    void aToolkitThatCannotStartIsExplainedWithoutAStackTrace() {
        String m = Ferry.launchProblem(new UnsupportedOperationException("Unable to load glass GTK library."));
        assertThat(m).startsWith("Ferry's window could not open: Unable to load glass GTK library.")
                .contains("apt-get install libgtk-3-0").contains("ferry --help").doesNotContain("\tat ");
        assertThat(Ferry.launchProblem(new IllegalStateException())).contains("IllegalStateException")
                .doesNotContain("GTK");
    }

    @Test
    void noArgumentsOrOnlyLinksOpenTheWindowAndEverythingElseIsTheCommandLine() {
        assertThat(Ferry.opensWindow(new String[0])).isTrue();
        assertThat(Ferry.opensWindow(new String[]{"s3://bucket/key"})).isTrue();
        assertThat(Ferry.opensWindow(new String[]{"TOS://bucket/folder/", "https://example.com/a.iso",
                "http://example.com/b"})).isTrue();

        assertThat(Ferry.opensWindow(new String[]{"download", "s3://bucket/key"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"ls", "s3://"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"copy", "s3://a/x", "s3://b/"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"status"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"--help"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"s3://bucket/key", "--connections", "4"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"./s3://not-a-link"})).isFalse();
        assertThat(Ferry.opensWindow(new String[]{"ftp://host/file"})).isFalse();
    }

    @Test
    void linksWithoutAWindowToTakeThemSayHowToDownloadThemOnTheCommandLine() {
        assertThat(Ferry.downloadHint(List.of())).isEmpty();
        assertThat(Ferry.downloadHint(List.of("s3://b/k"))).isEqualTo("\nTo download it here: ferry download s3://b/k");
        assertThat(Ferry.downloadHint(List.of("s3://b/k", "tos://c/d"))).contains("them").contains("one command per link");
    }
}
