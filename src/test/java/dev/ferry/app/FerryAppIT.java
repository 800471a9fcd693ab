package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToolBar;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileDraft;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.SecretStores;
import dev.ferry.profiles.StoreKind;
import dev.ferry.testing.Await;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.testing.TosTestServer;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * The whole app on one data folder: a saved connection serves pasted links, the queue and settings outlive a
 * restart, and no secret reaches the files the app writes besides the secret store.
 */
@ExtendWith(ApplicationExtension.class)
class FerryAppIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    Path home;
    Path downloads;
    S3ProxyServer s3;
    String bucket;
    ConnectionProfile profile;
    AppContext context;
    MainWindow window;
    Stage stage;

    private Map<String, String> noAwsFiles() {
        return Map.of("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none-credentials").toString(),
                "AWS_CONFIG_FILE", dir.resolve("none-config").toString());
    }

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
        home = dir.resolve("home");
        downloads = dir.resolve("downloads");
        Files.createDirectories(home);
        ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home));
        profile = profiles.add(ProfileDraft.empty().withName("local s3proxy").withEndpoint(s3.endpoint().toString())
                .withPathStyle(true).withAccessKeyId(s3.credentials().accessKeyId())
                .withSecretAccessKey(s3.credentials().secretAccessKey()));
        open();
        WaitForAsyncUtils.asyncFx(() -> context.settings().set(context.settings().get()
                .withDownloadFolder(downloads.toString()))).get(5, TimeUnit.SECONDS);
    }

    private void open() throws Exception {
        context = AppContext.open(home, noAwsFiles());
        WaitForAsyncUtils.asyncFx(() -> {
            window = FerryApp.createWindow(context, p -> { });
            stage.setScene(new Scene(window.root(), 1100, 700));
            stage.show();
            context.startTransfers();
            context.model().start();
        }).get(10, TimeUnit.SECONDS);
    }

    private void closeApp() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> context.model().stop()).get(5, TimeUnit.SECONDS);
        context.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        closeApp();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition);
    }

    private TransferSnapshot only() {
        assertThat(context.service().snapshot()).hasSize(1);
        return context.service().snapshot().get(0);
    }

    @Test
    void aSavedConnectionServesPastedLinksAndTheQueueOutlivesARestart(FxRobot robot) throws Exception {
        byte[] content = TestData.bytes(10 * MIB, 31);
        s3.put(bucket, "app/big.bin", content);
        assertThat(context.linkConnection()).isEqualTo(profile.id());
        context.service().setGlobalLimit(2L * MIB);
        WaitForAsyncUtils.asyncFx(() -> window.take("s3://" + bucket + "/app/big.bin")).get(5, TimeUnit.SECONDS);
        await("bytes arriving", () -> only().done() > 0);

        closeApp(); // the app quits mid-transfer
        assertThat(only().state()).isEqualTo(TransferState.QUEUED); // stopped by the quit, queued for the next start
        for (String file : new String[] {"queue.json", "settings.json", ProfileStore.FILE_NAME}) {
            assertThat(Files.readString(home.resolve(file))).as(file)
                    .doesNotContain(s3.credentials().secretAccessKey());
        }

        open(); // and starts again: the download resumes where it was
        assertThat(context.settings().get().downloadFolder()).isEqualTo(downloads.toString());
        await("completed", () -> only().state() == TransferState.COMPLETED);
        assertThat(TestData.sha256(downloads.resolve("big.bin"))).isEqualTo(TestData.sha256(content));
        assertThat(context.service().log(only().id())).anyMatch(l -> l.text().startsWith("resumed"));
    }

    @Test
    void aTosLinkIsServedByTheTosConnectionAndAnS3LinkByTheS3One(FxRobot robot) throws Exception {
        try (TosTestServer tos = new TosTestServer()) {
            byte[] content = TestData.bytes(7 * MIB + 3, 32);
            tos.createBucket("ferry-tos").putObject("ferry-tos", "dir/from-tos.bin", content);
            ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home));
            ConnectionProfile tosProfile = profiles.add(ProfileDraft.empty().withName("local TOS")
                    .withKind(StoreKind.TOS).withEndpoint(tos.endpoint().toString()).withRegion(TosTestServer.REGION)
                    .withAccessKeyId(TosTestServer.CREDENTIALS.accessKeyId())
                    .withSecretAccessKey(TosTestServer.CREDENTIALS.secretAccessKey()));
            assertThat(context.linkConnection(StoreKind.TOS)).isEqualTo(tosProfile.id());
            assertThat(context.linkConnection(StoreKind.S3)).isEqualTo(profile.id());

            WaitForAsyncUtils.asyncFx(() -> window.take("tos://ferry-tos/dir/from-tos.bin")).get(5, TimeUnit.SECONDS);

            await("completed", () -> only().state() == TransferState.COMPLETED);
            assertThat(Files.readAllBytes(downloads.resolve("from-tos.bin"))).isEqualTo(content);
            assertThat(tos.requests()).anyMatch(r -> r.call().isObjectGet());
            assertThat(Files.readString(home.resolve("queue.json")))
                    .doesNotContain(TosTestServer.CREDENTIALS.secretAccessKey());

            // the TOS connection chosen for links still leaves s3:// links to the S3 one
            WaitForAsyncUtils.asyncFx(() -> context.settings().set(context.settings().get()
                    .withDefaultConnection(tosProfile.id()))).get(5, TimeUnit.SECONDS);
            assertThat(context.linkConnection(StoreKind.S3)).isEqualTo(profile.id());
            assertThat(context.linkConnection(StoreKind.TOS)).isEqualTo(tosProfile.id());
            assertThat(context.linkConnection()).isEqualTo(tosProfile.id());
        }
    }

    @Test
    void theToolbarOpensConnectionsAndSettings(FxRobot robot) throws Exception {
        robot.clickOn("#connections");
        ListView<ConnectionProfile> list = robot.lookup("#profiles").queryListView();
        assertThat(list.getItems()).extracting(ConnectionProfile::name).containsExactly("local s3proxy");
        WaitForAsyncUtils.asyncFx(() -> list.getScene().getWindow().hide()).get(5, TimeUnit.SECONDS);

        ToolBar bar = robot.lookup(".tool-bar").queryAs(ToolBar.class);
        assertThat(bar.prefWidth(-1)).as("the toolbar fits a 1100 px window").isLessThan(1100);
        robot.clickOn("#settings");
        Spinner<Integer> concurrent = robot.lookup("#settings-concurrent").query();
        WaitForAsyncUtils.asyncFx(() -> concurrent.getValueFactory().setValue(7)).get(5, TimeUnit.SECONDS);
        robot.clickOn("OK");
        assertThat(context.service().maxConcurrent()).isEqualTo(7);
        assertThat(context.settings().get().maxConcurrent()).isEqualTo(7);
        assertThat(WaitForAsyncUtils.asyncFx(window::statusText).get(5, TimeUnit.SECONDS)).isEqualTo("Settings saved");
    }

    @Test
    void theThemeSwitchesAndIsRememberedAndTheStylesheetsParseCleanly(FxRobot robot) throws Exception {
        javafx.css.CssParser.errorsProperty().clear();
        assertThat(stage.getScene().getStylesheets()).containsExactly(Themes.BASE);
        robot.clickOn("#theme");
        assertThat(stage.getScene().getStylesheets()).containsExactly(Themes.BASE, Themes.DARK);
        robot.clickOn("#settings"); // a dialog opened afterwards is dark too
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.listWindows()).filteredOn(w -> w != stage && w.isShowing() && w.getScene() != null)
                .isNotEmpty().allSatisfy(w -> assertThat(w.getScene().getStylesheets()).contains(Themes.DARK));
        robot.clickOn("Cancel");
        assertThat(context.settings().get().theme()).isEqualTo("dark");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(javafx.css.CssParser.errorsProperty()).isEmpty();

        closeApp();
        open();
        assertThat(WaitForAsyncUtils.asyncFx(() -> stage.getScene().getStylesheets()).get(5, TimeUnit.SECONDS))
                .containsExactly(Themes.BASE, Themes.DARK);
    }

    @Test
    void theWindowComesBackWhereItWasAndAnOffScreenPlaceIsIgnored(FxRobot robot) throws Exception {
        var saved = new dev.ferry.app.settings.AppSettings.WindowBounds(40, 30, 900, 560, false);
        var back = WaitForAsyncUtils.asyncFx(() -> {
            WindowPlacement.restore(stage, saved);
            return WindowPlacement.capture(stage);
        }).get(5, TimeUnit.SECONDS);
        assertThat(back).isEqualTo(saved);
        var offScreen = WaitForAsyncUtils.asyncFx(() -> {
            WindowPlacement.restore(stage, new dev.ferry.app.settings.AppSettings.WindowBounds(-9000, -9000, 900, 560,
                    false));
            return WindowPlacement.capture(stage);
        }).get(5, TimeUnit.SECONDS);
        assertThat(javafx.stage.Screen.getScreensForRectangle(offScreen.x(), offScreen.y(), offScreen.width(),
                offScreen.height())).isNotEmpty();
    }

    @Test
    void browseOpensTheBrowserOnTheSavedConnectionAndAWholeBucketLandsInItsOwnFolder(FxRobot robot) throws Exception {
        s3.put(bucket, "top.txt", TestData.bytes(100, 1));
        s3.put(bucket, "sub/inner.txt", TestData.bytes(200, 2));
        robot.clickOn("#browse");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.listWindows()).anyMatch(w -> w instanceof Stage s && s.isShowing() && s != stage
                && s.getTitle().equals("Browse — local s3proxy"));
        WaitForAsyncUtils.asyncFx(() -> window.take("s3://" + bucket + "/")).get(5, TimeUnit.SECONDS);
        await("both downloaded", () -> Files.exists(downloads.resolve(bucket).resolve("top.txt"))
                && Files.exists(downloads.resolve(bucket).resolve("sub/inner.txt")));
        assertThat(downloads.resolve("top.txt")).doesNotExist();
    }

    @Test
    void withoutAnyConnectionALinkExplainsWhatToDoFirst(FxRobot robot) throws Exception {
        ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home));
        profiles.remove(profile.id());
        assertThat(context.linkConnection()).isNull();
        WaitForAsyncUtils.asyncFx(() -> window.take("s3://" + bucket + "/x")).get(5, TimeUnit.SECONDS);
        assertThat(WaitForAsyncUtils.asyncFx(window::statusText).get(5, TimeUnit.SECONDS))
                .startsWith("Add a connection first");
        assertThat(context.service().snapshot()).isEmpty();
    }
}
