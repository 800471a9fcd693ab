package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

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
}
