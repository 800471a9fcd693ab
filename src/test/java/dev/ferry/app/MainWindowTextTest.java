package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainWindowTextTest {
    @Test
    void notificationsWrapLongReasonsAtSpaces() {
        String reason = "HeadObject failed: NoSuchKey: The specified key does not exist. (HTTP 404, request id 4442587FB7D0A2F9)";
        String wrapped = MainWindow.wrap("report.pdf\n" + reason, 40);
        assertThat(wrapped.split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
        assertThat(wrapped.replace('\n', ' ')).isEqualTo("report.pdf " + reason);
        assertThat(MainWindow.wrap("short", 40)).isEqualTo("short");
        assertThat(MainWindow.wrap("averyveryverylongwordwithoutspaces", 10)).isEqualTo("averyveryverylongwordwithoutspaces");
    }
}
