package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javafx.scene.Scene;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.app.instance.InstanceServer;
import dev.ferry.app.instance.SingleInstance;
import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.testing.Await;
import dev.ferry.testing.CliRunner;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferService;

/**
 * Two starts of Ferry on one data folder: the app (a real main window over a real queue and s3proxy, holding the
 * instance lock and serving) and a second {@code ferry LINK} in a child JVM, which hands the link over and exits 0;
 * the link is downloaded by the first. Command-line commands are never handed over.
 */
@ExtendWith(ApplicationExtension.class)
class SecondStartIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    CliRunner cli;
    S3ProxyServer s3;
    S3Store store;
    String bucket;
    Path downloads;
    TransferService service;
    SettingsStore settings;
    QueueModel model;
    MainWindow window;
    InstanceServer instance;
    Stage stage;

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        cli = new CliRunner(dir);
        s3 = S3ProxyServer.get();
        store = s3.store();
        bucket = s3.newBucket();
        Path home = cli.ferryHome();
        downloads = Files.createDirectories(dir.resolve("downloads"));
        service = TransferService.atHome(this::resolve, home);
        settings = new SettingsStore(home.resolve("settings.json"));
        settings.set(settings.get().withDownloadFolder(downloads.toString()));
        model = new QueueModel(service);
        Intake intake = new Intake(service, this::resolve, Executors.newSingleThreadExecutor());
        window = new MainWindow(model, intake, settings, () -> "test", path -> { });
        stage.setScene(new Scene(window.root(), 1000, 600));
        stage.show();
        model.start();

        SingleInstance.Claim claim = SingleInstance.claim(home, List.of(), Duration.ofSeconds(5));
        assertThat(claim).isInstanceOf(SingleInstance.Claim.First.class);
        instance = ((SingleInstance.Claim.First) claim).server();
        instance.serve(FerryApp.handOver(stage, window));
    }

    @AfterEach
    void tearDown() throws Exception {
        instance.close();
        WaitForAsyncUtils.asyncFx(() -> model.stop()).get(5, TimeUnit.SECONDS);
        service.close(Duration.ofSeconds(10));
        settings.close();
    }

    private S3Store resolve(String connection) throws IOException {
        if (!"test".equals(connection)) {
            throw new IOException("no connection " + connection);
        }
        return store;
    }

    @Test
    void aLinkOpenedWithASecondFerryIsDownloadedByTheRunningWindow() throws Exception {
        byte[] content = TestData.bytes(2 * MIB + 5, 61);
        s3.put(bucket, "handed/over.bin", content);

        CliRunner.Result second = cli.run("s3://" + bucket + "/handed/over.bin");

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stdout()).isEmpty();
        Await.until("the handed-over link downloaded", () -> service.snapshot().size() == 1
                && service.snapshot().get(0).state() == TransferState.COMPLETED);
        assertThat(TestData.sha256(downloads.resolve("over.bin"))).isEqualTo(TestData.sha256(content));
    }

    @Test
    void startingFerryAgainBringsTheWindowForwardAndChangesNothingElse() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> stage.setIconified(true)).get(5, TimeUnit.SECONDS);

        CliRunner.Result second = cli.run();

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        Await.until("the window is back", () -> !stage.isIconified() && stage.isShowing());
        assertThat(service.snapshot()).isEmpty();
    }

    @Test
    void commandsStayOnTheCommandLineWhileTheAppRuns() throws Exception {
        CliRunner.Result status = cli.run("status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        // answered here, not handed to the window (which would print nothing)
        assertThat(status.stdout()).contains("no resumable transfers in");

        CliRunner.Result bad = cli.run("s3://" + bucket + "/a", "--connections", "4");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("ferry: error").doesNotContain("\tat ");

        assertThat(service.snapshot()).isEmpty();
    }
}
