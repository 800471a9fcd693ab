package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.NodeQueryUtils;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.testing.Await;
import dev.ferry.transfer.queue.TransferService;

/**
 * A first start: no connection and an empty queue. The queue says what to do and offers both steps; the About
 * dialog names the version this build was made from, the licence and the bundled libraries.
 */
@ExtendWith(ApplicationExtension.class)
class FirstRunIT {
    @TempDir
    Path dir;
    TransferService service;
    SettingsStore settings;
    QueueModel model;
    MainWindow window;
    final AtomicInteger connectionsOpened = new AtomicInteger();

    @Start
    void start(Stage stage) {
        Path home = dir.resolve("home");
        service = TransferService.atHome(connection -> {
            throw new java.io.IOException("no connections yet");
        }, home);
        settings = new SettingsStore(home.resolve("settings.json"));
        model = new QueueModel(service);
        Intake intake = new Intake(service, connection -> {
            throw new java.io.IOException("no connections yet");
        }, Executors.newSingleThreadExecutor());
        window = new MainWindow(model, intake, settings, () -> null, path -> { });
        window.setOnConnections(connectionsOpened::incrementAndGet);
        stage.setScene(new Scene(window.root(), 1100, 700));
        stage.show();
        model.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> model.stop()).get(5, TimeUnit.SECONDS);
        service.close(Duration.ofSeconds(10));
        settings.close();
    }

    private static boolean showing(FxRobot robot, String query) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(query).match(NodeQueryUtils.isVisible()).tryQuery().isPresent();
    }

    @Test
    void anEmptyQueueSaysWhatToDoAndOffersBothSteps(FxRobot robot) throws Exception {
        assertThat(showing(robot, "#first-run")).isTrue();
        assertThat(robot.lookup("#first-run-title").queryAs(Label.class).getText()).isEqualTo("No transfers yet");
        assertThat(robot.lookup("#queue-placeholder").queryAs(Label.class).getText())
                .contains("Drop links here (s3://, tos://, http:// or https://)").contains("Ctrl+V").contains("connection");

        robot.clickOn("#first-run-connections");
        assertThat(connectionsOpened).hasValue(1);

        robot.clickOn("#first-run-add-links");
        Await.until("the Add links dialog", () -> showing(robot, ".dialog-pane .text-field"));
        robot.clickOn(".dialog-pane .text-field");
        robot.write("s3://bucket/first.iso");
        robot.clickOn("OK");
        Await.until("told what is missing", () -> window.statusText().startsWith("Add a connection first"));
        assertThat(service.snapshot()).isEmpty();
    }

    /** The wiring only: which folder that is (XDG, HOME, the platform) is SettingsStoreTest's to check. */
    @Test
    void aFirstStartUsesTheFolderDownloadsFolderFinds() {
        Path folder = Path.of(settings.get().downloadFolder());
        assertThat(folder).isEqualTo(dev.ferry.app.settings.DownloadsFolder.find());
    }

    @Test
    void aboutShowsTheBuiltVersionTheLicenceAndTheBundledLibraries(FxRobot robot) throws Exception {
        robot.clickOn("#about");
        Await.until("the About dialog", () -> showing(robot, "#about-version"));

        assertThat(robot.lookup("#about-version").queryAs(Label.class).getText()).isEqualTo("Version " + pomVersion());
        assertThat(robot.lookup("#about-licence-name").queryAs(Label.class).getText()).contains("Apache License 2.0");
        assertThat(robot.lookup("#about-licence").queryAs(TextArea.class).getText())
                .isEqualTo(Files.readString(Path.of("LICENSE")));
        String notices = robot.lookup("#about-notices").queryAs(TextArea.class).getText();
        assertThat(notices).isEqualTo(Files.readString(Path.of("THIRD-PARTY-NOTICES")))
                .contains("OkHttp", "Okio", "Kotlin", "Jackson", "picocli", "OpenJFX", "Classpath Exception",
                        "ControlsFX", "BSD 3-Clause", "Ikonli");

        robot.clickOn("Close");
        Await.until("closed", () -> !showing(robot, "#about-version"));
    }

    /** The project's version as pom.xml states it (the tests run in the project folder). */
    private static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>ferry</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
