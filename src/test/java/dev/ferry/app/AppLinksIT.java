package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.app.queue.QueueActions;
import dev.ferry.app.queue.TransferRow;
import dev.ferry.testing.Await;
import dev.ferry.testing.TestData;
import dev.ferry.testing.WebServer;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * Plain links in the whole app: dropped or pasted like s3:// links, named as the server suggests, their query
 * strings (signatures, tokens) kept in the secret store only, and an expired link replaced by a fresh one.
 */
@ExtendWith(ApplicationExtension.class)
class AppLinksIT {
    private static final int MIB = 1 << 20;
    private static final String TOKEN = "link-tok3n-first";
    private static final String FRESH = "link-tok3n-fresh";

    @TempDir
    Path dir;
    Path home;
    Path downloads;
    Path www;
    WebServer web;
    AppContext context;
    MainWindow window;
    Stage stage;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        home = Files.createDirectories(dir.resolve("home"));
        downloads = Files.createDirectories(dir.resolve("downloads"));
        www = Files.createDirectories(dir.resolve("www"));
        web = WebServer.serve(www);
        context = AppContext.open(home, Map.of("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none").toString(),
                "AWS_CONFIG_FILE", dir.resolve("none").toString()));
        WaitForAsyncUtils.asyncFx(() -> {
            context.settings().set(context.settings().get().withDownloadFolder(downloads.toString()));
            window = FerryApp.createWindow(context, p -> { });
            stage.setScene(new Scene(window.root(), 1100, 700));
            stage.show();
            context.startTransfers();
            context.model().start();
        }).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> context.model().stop()).get(5, TimeUnit.SECONDS);
        context.close();
        web.close();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        try {
            Await.until(what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the queue: " + context.service().snapshot(), e);
        }
    }

    private TransferSnapshot only() {
        assertThat(context.service().snapshot()).hasSize(1);
        return context.service().snapshot().get(0);
    }

    private String filesWrittenBesidesTheSecretStore() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (!p.getFileName().toString().startsWith("secrets")) {
                    all.append(Files.readString(p)).append('\n');
                }
            }
        }
        return all.toString();
    }

    @Test
    void aPastedLinkIsNamedByTheServerAndItsTokenStaysOutOfTheQueueAndCheckpoints() throws Exception {
        byte[] content = TestData.bytes(3 * MIB, 41);
        Files.write(www.resolve("get.php"), content);
        web.contentDisposition("attachment; filename*=UTF-8''Quarterly%20report.bin");
        web.slowTo(MIB);

        WaitForAsyncUtils.asyncFx(() -> window.take(web.url("get.php?token=" + TOKEN))).get(5, TimeUnit.SECONDS);
        await("the link queued", () -> context.service().snapshot().size() == 1);
        await("bytes arriving", () -> only().done() > 0);
        assertThat(only().source()).isEqualTo(web.url("get.php"));
        assertThat(only().name()).isEqualTo("Quarterly report.bin");
        assertThat(filesWrittenBesidesTheSecretStore()).doesNotContain(TOKEN);
        web.slowTo(0);

        await("completed", () -> only().state() == TransferState.COMPLETED);
        assertThat(TestData.sha256(downloads.resolve("Quarterly report.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(filesWrittenBesidesTheSecretStore()).doesNotContain(TOKEN);
    }

    @Test
    void anExpiredLinkFailsWithAnExplanationAndAFreshLinkContinuesItsDownload() throws Exception {
        byte[] content = TestData.bytes(8 * MIB, 42);
        Files.write(www.resolve("big.iso"), content);
        web.requireToken(TOKEN);
        web.slowTo(2 * MIB);
        WaitForAsyncUtils.asyncFx(() -> window.take(web.url("big.iso?token=" + TOKEN))).get(5, TimeUnit.SECONDS);
        await("the link queued", () -> context.service().snapshot().size() == 1);
        await("2 MiB arrived", () -> only().done() >= 2 * MIB);

        web.requireToken(FRESH); // the link expires mid-transfer
        web.dropConnections();
        await("failed", () -> only().state() == TransferState.FAILED);
        assertThat(only().message()).contains("fresh link").doesNotContain(TOKEN);
        long kept = only().done();
        web.reset();
        web.slowTo(0);

        QueueActions actions = new QueueActions(context.model(), window.root(), s -> { }, p -> { },
                context.background());
        TransferRow row = WaitForAsyncUtils.asyncFx(() -> {
            context.model().refresh();
            return context.model().rows().get(0);
        }).get(5, TimeUnit.SECONDS);
        assertThat(actions.canUseFreshLink(row)).isTrue();
        assertThat(WaitForAsyncUtils.asyncFx(() -> actions.useFreshLink(row, "not a link")).get(5, TimeUnit.SECONDS))
                .isFalse();
        assertThat(WaitForAsyncUtils.asyncFx(() -> actions.useFreshLink(row, web.url("big.iso?token=" + FRESH)))
                .get(5, TimeUnit.SECONDS)).isTrue();

        await("completed", () -> only().state() == TransferState.COMPLETED);
        assertThat(TestData.sha256(downloads.resolve("big.iso"))).isEqualTo(TestData.sha256(content));
        // only what was missing came again (the server counts what it wrote, a little more than was read)
        assertThat(web.bodyBytes()).isLessThan(content.length - kept + 2L * MIB);
        assertThat(filesWrittenBesidesTheSecretStore()).doesNotContain(TOKEN).doesNotContain(FRESH);
    }
}
