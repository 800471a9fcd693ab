package dev.ferry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DataFormat;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.controlsfx.control.SegmentedBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.app.queue.QueueView;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.queue.TransferRow;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.testing.Drops;
import dev.ferry.testing.Await;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/** The main window over a real queue and a real S3 server, driven like a person would: headless TestFX. */
@ExtendWith(ApplicationExtension.class)
class MainWindowIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    S3ProxyServer s3;
    S3Store store;
    String bucket;
    Path downloads;
    TransferService service;
    SettingsStore settings;
    QueueModel model;
    MainWindow window;

    @Start
    void start(Stage stage) throws IOException {
        s3 = S3ProxyServer.get();
        store = s3.store();
        bucket = s3.newBucket();
        Path home = dir.resolve("home");
        downloads = dir.resolve("downloads");
        Files.createDirectories(downloads);
        service = TransferService.atHome(this::resolve, home);
        settings = new SettingsStore(home.resolve("settings.json"));
        settings.set(settings.get().withDownloadFolder(downloads.toString()));
        model = new QueueModel(service);
        Intake intake = new Intake(service, this::resolve, Executors.newSingleThreadExecutor());
        window = new MainWindow(model, intake, settings, () -> "test", path -> { });
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

    private S3Store resolve(String connection) throws IOException {
        if (!"test".equals(connection)) {
            throw new IOException("no connection " + connection);
        }
        return store;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, condition);
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private void runFx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(10, TimeUnit.SECONDS);
    }

    private TableView<TransferRow> table(FxRobot robot) {
        return robot.lookup("#queue").queryTableView();
    }

    private TransferSnapshot only() {
        List<TransferSnapshot> all = service.snapshot();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private void selectRow(FxRobot robot, int index) throws Exception {
        runFx(() -> {
            table(robot).getSelectionModel().clearSelection();
            table(robot).getSelectionModel().select(index);
            table(robot).requestFocus();
        });
    }

    private boolean rowLaidOut(FxRobot robot) {
        try {
            return fx(() -> {
                window.refresh();
                table(robot).layout();
                return robot.lookup(".table-row-cell")
                        .match((TableRow<?> r) -> r.getIndex() == 0 && r.getItem() != null).tryQuery().isPresent();
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TableRow<?> firstRow(FxRobot robot) {
        return robot.lookup(".table-row-cell").match((TableRow<?> r) -> r.getIndex() == 0 && r.getItem() != null)
                .query();
    }

    private String rowState(FxRobot robot, int index) throws Exception {
        return fx(() -> {
            window.refresh();
            return table(robot).getItems().get(index).statusProperty().get();
        });
    }

    @Test
    void anEmptyQueueExplainsWhatToDo(FxRobot robot) {
        Label placeholder = robot.lookup("#queue-placeholder").queryAs(Label.class);
        assertThat(placeholder.getText()).contains("Drop links here (s3://, tos://").contains("Ctrl+V");
        assertThat(robot.lookup("#pause").queryButton().isDisabled()).isTrue();
    }

    @Test
    void pastedLinksAreDownloadedExactlyIntoTheDownloadFolder(FxRobot robot) throws Exception {
        byte[] a = TestData.bytes(3 * MIB, 21);
        byte[] b = TestData.bytes(MIB + 7, 22);
        s3.put(bucket, "pasted/a.bin", a);
        s3.put(bucket, "pasted/b.bin", b);
        runFx(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString("s3://" + bucket + "/pasted/a.bin\n# a comment\ns3://" + bucket + "/pasted/b.bin\n");
            Clipboard.getSystemClipboard().setContent(c);
        });
        robot.clickOn("#queue");
        robot.press(KeyCode.CONTROL).press(KeyCode.V).release(KeyCode.V).release(KeyCode.CONTROL);
        await("two downloads completed", () -> service.snapshot().size() == 2
                && service.snapshot().stream().allMatch(s -> s.state() == TransferState.COMPLETED));
        assertThat(TestData.sha256(downloads.resolve("a.bin"))).isEqualTo(TestData.sha256(a));
        assertThat(TestData.sha256(downloads.resolve("b.bin"))).isEqualTo(TestData.sha256(b));
        assertThat(rowState(robot, 0)).isEqualTo("Completed");
        assertThat(fx(() -> table(robot).getItems().get(0).progressProperty().get())).isEqualTo(1.0);
        assertThat(fx(window::messages)).contains("Queued 2 downloads", "Download completed: a.bin",
                "Download completed: b.bin");
    }

    @Test
    void aLinkToAFileThatExistsGetsAFreshNameAndNothingIsOverwritten(FxRobot robot) throws Exception {
        byte[] content = TestData.bytes(MIB, 23);
        s3.put(bucket, "dup/report.pdf", content);
        Files.writeString(downloads.resolve("report.pdf"), "mine");
        runFx(() -> window.take("s3://" + bucket + "/dup/report.pdf"));
        await("completed", () -> only().state() == TransferState.COMPLETED);
        assertThat(Files.readString(downloads.resolve("report.pdf"))).isEqualTo("mine");
        assertThat(TestData.sha256(downloads.resolve("report (1).pdf"))).isEqualTo(TestData.sha256(content));
    }

    @Test
    void aFolderLinkQueuesEveryObjectAndRecreatesTheStructureInsideTheFolder(FxRobot robot) throws Exception {
        s3.put(bucket, "photos/2024/a.jpg", TestData.bytes(1000, 1));
        s3.put(bucket, "photos/2024/deep/b.jpg", TestData.bytes(2000, 2));
        s3.put(bucket, "photos/c.txt", TestData.bytes(10, 3));
        s3.put(bucket, "elsewhere/d.txt", TestData.bytes(10, 4));
        runFx(() -> window.take("s3://" + bucket + "/photos/"));
        await("three completed", () -> service.snapshot().size() == 3
                && service.snapshot().stream().allMatch(s -> s.state() == TransferState.COMPLETED));
        assertThat(downloads.resolve("photos/2024/a.jpg")).hasSize(1000);
        assertThat(downloads.resolve("photos/2024/deep/b.jpg")).hasSize(2000);
        assertThat(downloads.resolve("photos/c.txt")).hasSize(10);
        assertThat(downloads.resolve("elsewhere")).doesNotExist();
        await("summary", () -> messagesQuietly().contains("Queued 3 downloads"));
        // three endings close together make one notification, not three
        await("one gathered notification", () -> !robot.lookup("3 transfers completed").queryAll().isEmpty());
        assertThat(robot.lookup(".notification-bar").queryAll()).hasSize(1);
    }

    private String rowStateQuietly(FxRobot robot) {
        try {
            return rowState(robot, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> messagesQuietly() {
        try {
            return fx(window::messages);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailedDownloadShowsTheServersReasonAndANotification(FxRobot robot) throws Exception {
        runFx(() -> window.take("s3://" + bucket + "/missing/nothing.bin"));
        await("failed", () -> only().state() == TransferState.FAILED);
        // the row follows the service on the model's next tick
        await("the row's reason", () -> rowStateQuietly(robot).startsWith("Failed: "));
        String state = rowState(robot, 0);
        assertThat(state).startsWith("Failed: ").contains("NoSuchKey").contains("request id");
        await("status", () -> messagesQuietly().stream().anyMatch(m -> m.startsWith("Download failed: nothing.bin")));
        await("notification", () -> !robot.lookup(".notification-bar").queryAll().isEmpty());
        assertThat(service.log(only().id())).anyMatch(l -> l.problem() && l.text().contains("NoSuchKey"));
    }

    @Test
    void theDetailPaneSetsTheTransfersOwnLimit(FxRobot robot) throws Exception {
        s3.put(bucket, "limit/l.bin", TestData.bytes(MIB, 26));
        runFx(() -> {
            service.add(dev.ferry.transfer.queue.TransferSpec.Download.of("test",
                    dev.ferry.storage.ObjectRef.of(bucket, "limit/l.bin"), downloads.resolve("l.bin")), true);
            window.refresh();
        });
        selectRow(robot, 0);
        robot.clickOn("#detail-limit").write("2 MiB/s").type(KeyCode.ENTER);
        assertThat(only().limit()).isEqualTo(2L * MIB);
        assertThat(fx(() -> table(robot).getItems().get(0).limitProperty().get())).isEqualTo(2L * MIB);
        runFx(() -> window.refresh());
        robot.clickOn("#detail-limit").eraseText(20).write("fast please").type(KeyCode.ENTER);
        assertThat(only().limit()).isEqualTo(2L * MIB);
        assertThat(fx(window::statusText)).isEqualTo("Not a speed: 'fast please' (try 500 KiB/s or 2 MiB/s)");
    }

    @Test
    void rowsAreReorderedByDragAndLinksDraggedInAreQueued(FxRobot robot) throws Exception {
        for (String n : List.of("one", "two", "three")) {
            s3.put(bucket, "drag/" + n, TestData.bytes(10, 5));
        }
        runFx(() -> {
            for (String n : List.of("one", "two", "three")) {
                service.add(dev.ferry.transfer.queue.TransferSpec.Download.of("test",
                        dev.ferry.storage.ObjectRef.of(bucket, "drag/" + n), downloads.resolve(n)), true);
            }
            window.refresh();
        });
        WaitForAsyncUtils.waitForFxEvents();
        var rows = robot.lookup(".table-row-cell").queryAllAs(javafx.scene.control.TableRow.class).stream()
                .filter(r -> !r.isEmpty()).sorted(java.util.Comparator.comparingInt(r -> r.getIndex())).toList();
        long threeId = service.snapshot().get(2).id();
        Drops.Outcome moved = fx(() -> Drops.drop(rows.get(0), Map.of(QueueView.ROWS, Long.toString(threeId))));
        assertThat(moved.accepted()).isTrue();
        assertThat(service.snapshot()).extracting(TransferSnapshot::name).containsExactly("three", "one", "two");

        // a link dragged in from a browser: the drop target says what the drop will do, the drop queues it
        s3.put(bucket, "drag/dropped.bin", TestData.bytes(MIB, 6));
        Node queueNode = fx(() -> robot.lookup("#queue").query());
        String link = "s3://" + bucket + "/drag/dropped.bin";
        assertThat(fx(() -> Drops.over(queueNode, Map.of(DataFormat.URL, link, DataFormat.PLAIN_TEXT, link)))).isTrue();
        assertThat(fx(() -> robot.lookup("#drop-hint").queryAs(Label.class).getText()))
                .isEqualTo("Download dropped.bin into " + downloads);
        Drops.Outcome dropped = fx(() -> Drops.drop(queueNode, Map.of(DataFormat.PLAIN_TEXT, link + "\n")));
        assertThat(dropped.completed()).isTrue();
        await("dropped link downloaded", () -> service.snapshot().stream()
                .anyMatch(s -> s.name().equals("dropped.bin") && s.state() == TransferState.COMPLETED));
        assertThat(fx(() -> robot.lookup("#drop-hint").queryAs(Label.class).isVisible())).isFalse();

        // what cannot be dropped is refused with a reason
        assertThat(fx(() -> Drops.over(queueNode, Map.of(DataFormat.PLAIN_TEXT, "ftp://example.com/x.iso"))))
                .isFalse();
        assertThat(fx(() -> robot.lookup("#drop-hint").queryAs(Label.class).getText())).isEqualTo(
                "ftp://example.com/x.iso: not a link (expected s3://bucket/key, tos://bucket/key or an http(s):// link)");

        // objects dragged out of the browser are downloaded from their own connection
        s3.put(bucket, "drag/from-browser.bin", TestData.bytes(2000, 7));
        ObjectDrag drag = new ObjectDrag("test", List.of(ObjectRef.of(bucket, "drag/from-browser.bin")), List.of());
        assertThat(fx(() -> Drops.drop(queueNode, Map.of(ObjectDrag.FORMAT, drag.encode(),
                DataFormat.PLAIN_TEXT, drag.asLinks()))).completed()).isTrue();
        await("browser object downloaded", () -> Files.exists(downloads.resolve("from-browser.bin")));
    }

    /** Whether a node with {@code text} is there to be clicked, by the robot's own notion of visible. */
    private static boolean showing(FxRobot robot, String text) {
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup(text).match(org.testfx.util.NodeQueryUtils.isVisible()).tryQuery().isPresent();
    }

    @Test
    void quittingAsksOnlyWhileTransfersRun(FxRobot robot) throws Exception {
        assertThat(fx(window::confirmQuit)).isTrue();
        s3.put(bucket, "quit/q.bin", TestData.bytes(8 * MIB, 27));
        service.setGlobalLimit(MIB);
        runFx(() -> window.take("s3://" + bucket + "/quit/q.bin"));
        await("running", () -> only().done() > 0);
        var answer = WaitForAsyncUtils.asyncFx(window::confirmQuit);
        await("the question", () -> showing(robot, "Keep"));
        robot.clickOn("Keep");
        assertThat(answer.get(5, TimeUnit.SECONDS)).isFalse();
        answer = WaitForAsyncUtils.asyncFx(window::confirmQuit);
        await("the question again", () -> showing(robot, "Pause and quit"));
        robot.clickOn("Pause and quit");
        assertThat(answer.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void whatCannotBeTakenGetsAClearMessage(FxRobot robot) throws Exception {
        runFx(() -> window.take("ftp://example.com/file.iso"));
        assertThat(fx(window::statusText)).isEqualTo("Not taken: ftp://example.com/file.iso: not a link (expected "
                + "s3://bucket/key, tos://bucket/key or an http(s):// link)");
        runFx(() -> window.take("hello there"));
        assertThat(fx(window::statusText)).contains("not a link");
        assertThat(service.snapshot()).isEmpty();
    }

    @Test
    void pauseAndResumeFromTheToolbarFinishTheFileExactly(FxRobot robot) throws Exception {
        byte[] content = TestData.bytes(8 * MIB, 24);
        s3.put(bucket, "slow/big.bin", content);
        service.setGlobalLimit(2L * MIB);
        runFx(() -> window.take("s3://" + bucket + "/slow/big.bin"));
        await("bytes arriving", () -> only().done() > 0);
        selectRow(robot, 0);
        robot.clickOn("#pause");
        await("paused", () -> only().state() == TransferState.PAUSED);
        assertThat(rowState(robot, 0)).isEqualTo("Paused");
        assertThat(DownloadRequest.tempFileFor(downloads.resolve("big.bin"))).exists();
        // the detail pane shows the transfer, its parts and its events
        assertThat(fx(() -> robot.lookup("#detail-source").queryAs(Label.class).getText()))
                .isEqualTo("s3://" + bucket + "/slow/big.bin");
        assertThat(fx(() -> robot.lookup("#part-map").queryAs(SegmentedBar.class).getSegments().size()))
                .isGreaterThan(0);

        service.setGlobalLimit(0);
        assertThat(fx(() -> robot.lookup("#resume").queryButton().isDisabled())).isFalse();
        robot.clickOn("#resume");
        await("completed", () -> only().state() == TransferState.COMPLETED);
        assertThat(TestData.sha256(downloads.resolve("big.bin"))).isEqualTo(TestData.sha256(content));
    }

    @Test
    void spacePausesAndCancelAsksFirstThenDeletesThePartialFile(FxRobot robot) throws Exception {
        s3.put(bucket, "slow/c.bin", TestData.bytes(8 * MIB, 25));
        service.setGlobalLimit(MIB);
        runFx(() -> window.take("s3://" + bucket + "/slow/c.bin"));
        await("bytes arriving", () -> only().done() > 0);
        selectRow(robot, 0);
        robot.type(KeyCode.SPACE);
        await("paused", () -> only().state() == TransferState.PAUSED);

        robot.clickOn("#cancel-transfer");
        robot.clickOn("Keep"); // the question, declined
        assertThat(only().state()).isEqualTo(TransferState.PAUSED);
        robot.clickOn("#cancel-transfer");
        robot.clickOn("Cancel transfer");
        await("cancelled", () -> only().state() == TransferState.CANCELLED);
        await("partial deleted", () -> !Files.exists(DownloadRequest.tempFileFor(downloads.resolve("c.bin"))));
        assertThat(rowState(robot, 0)).isEqualTo("Cancelled");

        selectRow(robot, 0);
        robot.type(KeyCode.DELETE); // a cancelled transfer goes without a question
        await("removed", () -> service.snapshot().isEmpty());
    }

    @Test
    void aCopyOntoAnExistingObjectSaysSoAndItsMenuReplacesTheObjectAfterAsking(FxRobot robot) throws Exception {
        byte[] content = TestData.bytes(MIB, 26);
        byte[] theirs = TestData.bytes(999, 27);
        s3.put(bucket, "copies/src.bin", content);
        s3.put(bucket, "copies/taken.bin", theirs);
        ObjectRef taken = ObjectRef.of(bucket, "copies/taken.bin");
        service.add(TransferSpec.Copy.of("test", ObjectRef.of(bucket, "copies/src.bin"), taken));
        await("refused", () -> only().isCopyOntoExisting());
        assertThat(rowState(robot, 0)).startsWith("Failed: an object is already at " + bucket + "/copies/taken.bin")
                .endsWith("choose Replace existing object… in the row's menu");
        assertThat(store.head(taken, new CancelSignal()).size()).isEqualTo(theirs.length);

        selectRow(robot, 0);
        await("the row laid out", () -> rowLaidOut(robot));
        MenuItem replace = fx(() -> firstRow(robot).getContextMenu().getItems().stream()
                .filter(i -> "Replace existing object…".equals(i.getText())).findFirst().orElseThrow());
        assertThat(replace.isDisable()).isFalse();
        Platform.runLater(replace::fire); // it asks first, in a dialog of its own
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Keep"); // the question, declined
        assertThat(service.spec(only().id()).map(s -> ((TransferSpec.Copy) s).replace())).contains(false);
        assertThat(only().isCopyOntoExisting()).isTrue();
        Platform.runLater(replace::fire);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("Replace");
        await("replaced", () -> only().state() == TransferState.COMPLETED);
        assertThat(store.head(taken, new CancelSignal()).size()).isEqualTo(content.length);
    }

    @Test
    void theBandwidthSliderDrivesTheGlobalLimitAndShowsIt(FxRobot robot) throws Exception {
        runFx(() -> window.bandwidth().slider().setValue(5)); // 64 KiB/s * 2^5 = 2 MiB/s
        assertThat(service.globalLimit()).isEqualTo(2L * MIB);
        assertThat(fx(() -> robot.lookup("#bandwidth-label").queryAs(Label.class).getText()))
                .startsWith("Limit 2.00 MiB/s");
        runFx(() -> window.bandwidth().slider().setValue(window.bandwidth().slider().getMax()));
        assertThat(service.globalLimit()).isZero();
        await("saved", () -> settings.get().globalLimit() == 0);
    }

    @Test
    void rowsMoveUpAndDownInTheQueue(FxRobot robot) throws Exception {
        s3.put(bucket, "order/x", TestData.bytes(10, 1));
        service.pauseAll();
        for (String n : List.of("one", "two", "three")) {
            s3.put(bucket, "order/" + n, TestData.bytes(10, 2));
        }
        runFx(() -> {
            for (String n : List.of("one", "two", "three")) {
                service.add(dev.ferry.transfer.queue.TransferSpec.Download.of("test",
                        dev.ferry.storage.ObjectRef.of(bucket, "order/" + n), downloads.resolve(n)), true);
            }
            window.refresh();
        });
        selectRow(robot, 2);
        robot.clickOn("#move-up");
        assertThat(service.snapshot()).extracting(TransferSnapshot::name).containsExactly("one", "three", "two");
        robot.clickOn("#move-up");
        assertThat(service.snapshot()).extracting(TransferSnapshot::name).containsExactly("three", "one", "two");
        // the selection follows the moved transfer
        assertThat(fx(() -> table(robot).getSelectionModel().getSelectedItem().nameProperty().get()))
                .isEqualTo("three");
        robot.clickOn("#move-down");
        assertThat(service.snapshot()).extracting(TransferSnapshot::name).containsExactly("one", "three", "two");
        Button pause = robot.lookup("#pause").queryButton();
        assertThat(pause.isDisabled()).isTrue(); // everything selected is paused already
    }
}
