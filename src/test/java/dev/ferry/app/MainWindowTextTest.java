package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainWindowTextTest {
    private static dev.ferry.transfer.queue.TransferSnapshot named(String name) {
        return new dev.ferry.transfer.queue.TransferSnapshot(1, dev.ferry.transfer.queue.TransferSpec.Kind.DOWNLOAD,
                name, "s3://b/" + name, "/d/" + name, null, dev.ferry.transfer.TransferState.COMPLETED, 1, 1, 0, -1, 0,
                "", 1, 1, dev.ferry.transfer.FailureKind.NONE);
    }

    @Test
    void gatheredNotificationsNameTheFirstFewAndCountTheRest() {
        assertThat(MainWindow.names(java.util.List.of(named("a"), named("b")))).isEqualTo("a, b");
        assertThat(MainWindow.names(java.util.List.of(named("a"), named("b"), named("c"), named("d"), named("e"))))
                .isEqualTo("a, b, c and 2 more");
    }

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
