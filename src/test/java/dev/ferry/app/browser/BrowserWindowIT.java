package dev.ferry.app.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.app.AppContext;
import dev.ferry.app.queue.Formats;
import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ProfileDraft;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.SecretStores;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectRef;
import dev.ferry.testing.S3ProxyServer;
import dev.ferry.testing.TestData;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * The Browse window over a real s3proxy and a real queue, driven like a person would (headless TestFX): walk
 * buckets and folders, filter, download and copy the selection, drag it out.
 */
@ExtendWith(ApplicationExtension.class)
class BrowserWindowIT {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    S3ProxyServer s3;
    String bucket;
    String other;
    ConnectionProfile profile;
    AppContext context;
    BrowserWindow browser;
    Path chosen;
    final List<String> mainStatus = Collections.synchronizedList(new ArrayList<>());
    final byte[] a = TestData.bytes(1000, 1);
    final byte[] b = TestData.bytes(2 * MIB + 3, 2);
    final byte[] c = TestData.bytes(10, 3);
    final byte[] d = TestData.bytes(4321, 4);
    final byte[] top = TestData.bytes(77, 5);

    @Start
    void start(Stage stage) throws Exception {
        s3 = S3ProxyServer.get();
        bucket = s3.newBucket();
        other = s3.newBucket();
        s3.put(bucket, "docs/a.txt", a);
        s3.put(bucket, "docs/b.bin", b);
        s3.put(bucket, "docs/c.log", c);
        s3.put(bucket, "docs/sub/d.txt", d);
        s3.put(bucket, "top.bin", top);
        Path home = Files.createDirectories(dir.resolve("home"));
        ProfileStore profiles = new ProfileStore(home.resolve(ProfileStore.FILE_NAME), SecretStores.best(home));
        profile = profiles.add(ProfileDraft.empty().withName("local s3proxy").withEndpoint(s3.endpoint().toString())
                .withPathStyle(true).withAccessKeyId(s3.credentials().accessKeyId())
                .withSecretAccessKey(s3.credentials().secretAccessKey()));
        context = AppContext.open(home, Map.of(
                "AWS_SHARED_CREDENTIALS_FILE", dir.resolve("none-credentials").toString(),
                "AWS_CONFIG_FILE", dir.resolve("none-config").toString()));
        context.settings().set(context.settings().get().withDownloadFolder(dir.resolve("default-downloads").toString()));
        context.service().start();
        chosen = dir.resolve("chosen");
        stage.setScene(new Scene(new Label("the main window"), 300, 200));
        stage.show();
        browser = new BrowserWindow(context, stage, mainStatus::add);
        browser.setFolderChooser(owner -> Optional.of(chosen));
        browser.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        runFx(() -> browser.stage().hide());
        context.close();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private static void runFx(Runnable r) throws Exception {
        WaitForAsyncUtils.asyncFx(r).get(10, TimeUnit.SECONDS);
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the browser is at "
                        + fx(() -> pane().location()) + " saying \"" + status() + "\"");
            }
            Thread.sleep(20);
        }
    }

    private BrowserPane pane() {
        return browser.pane();
    }

    /** Waits until {@code at} is listed and returns the names shown, in order. */
    private List<String> listed(Location at) throws Exception {
        await("a listing of " + at, () -> fx(() -> pane().location().equals(at) && !pane().isListing()));
        return names();
    }

    private List<String> names() throws Exception {
        return fx(() -> pane().rows().shown().stream().map(Entry::name).toList());
    }

    private String status() throws Exception {
        return fx(() -> pane().statusText());
    }

    private Entry row(String name) throws Exception {
        return fx(() -> pane().rows().shown().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow());
    }

    /** The Name cell showing {@code name}, scrolled into view. */
    private Node cell(FxRobot robot, String name) throws Exception {
        Entry e = row(name);
        runFx(() -> {
            var table = pane().rows().table();
            table.scrollTo(e);
            table.applyCss();
            table.layout(); // the cells sit where they will be clicked now, not at the next pulse
        });
        WaitForAsyncUtils.waitForFxEvents();
        return robot.lookup("#browser-table .table-cell").match((TableCell<?, ?> cell) -> name.equals(cell.getText()))
                .query();
    }

    private void select(String... rowNames) throws Exception {
        runFx(() -> {
            var selection = pane().rows().table().getSelectionModel();
            selection.clearSelection();
            for (String name : rowNames) {
                selection.select(pane().rows().shown().stream().filter(e -> e.name().equals(name)).findFirst()
                        .orElseThrow());
            }
        });
    }

    private void goTo(String bucketName, String prefix) throws Exception {
        runFx(() -> pane().go(Location.of(bucketName, prefix), null));
        listed(Location.of(bucketName, prefix));
    }

    private void awaitCompleted(int transfers) throws Exception {
        await(transfers + " transfers completed", () -> {
            List<TransferSnapshot> all = context.service().snapshot();
            for (TransferSnapshot s : all) {
                if (s.state() == TransferState.FAILED || s.state() == TransferState.CANCELLED) {
                    throw new AssertionError(s.name() + " " + s.state() + ": " + s.message());
                }
            }
            return all.size() == transfers && all.stream().allMatch(s -> s.state() == TransferState.COMPLETED);
        });
    }

    private static List<String> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    // ---- tests ------------------------------------------------------------------------------------------------

    @Test
    void walksBucketsFoldersAndObjectsUpAndDownAndFiltersByName(FxRobot robot) throws Exception {
        assertThat(listed(Location.BUCKETS)).contains(bucket, other);
        assertThat(status()).matches("\\d+ buckets");
        assertThat(fx(() -> browser.stage().getTitle())).isEqualTo("Browse — local s3proxy");
        assertThat(fx(() -> browser.stage().getOwner())).isNotNull();
        assertThat(robot.lookup("#browser-up").queryButton().isDisabled()).isTrue();

        robot.doubleClickOn(cell(robot, bucket));
        assertThat(listed(Location.of(bucket, ""))).containsExactly("docs/", "top.bin");
        assertThat(row("top.bin").size()).isEqualTo(top.length);
        assertThat(robot.lookup("#browser-location").queryTextInputControl().getText()).isEqualTo(bucket + "/");

        robot.doubleClickOn(cell(robot, "docs/"));
        assertThat(listed(Location.of(bucket, "docs/"))).containsExactly("sub/", "a.txt", "b.bin", "c.log");
        assertThat(row("b.bin").size()).isEqualTo(b.length);
        assertThat(row("b.bin").lastModified()).isNotNull();
        assertThat(row("sub/").size()).isEqualTo(-1);
        cell(robot, "b.bin"); // scrolled into view: its row shows the size the way the queue does
        assertThat(robot.lookup("#browser-table .table-cell")
                .match((TableCell<?, ?> cell) -> Formats.size(b.length).equals(cell.getText())).tryQuery())
                .isPresent();
        assertThat(status()).isEqualTo("1 folder and 3 objects");

        robot.clickOn(cell(robot, "sub/"));
        robot.type(KeyCode.ENTER);
        assertThat(listed(Location.of(bucket, "docs/sub/"))).containsExactly("d.txt");
        robot.clickOn("#browser-up");
        assertThat(listed(Location.of(bucket, "docs/"))).hasSize(4);
        assertThat(fx(() -> pane().rows().selected())).extracting(Entry::name).containsExactly("sub/");

        robot.clickOn("#browser-filter").write("LOG");
        assertThat(names()).containsExactly("c.log");
        assertThat(status()).isEqualTo("Showing 1 of 4 (filter \"LOG\")");
        robot.type(KeyCode.ESCAPE);
        assertThat(names()).hasSize(4);

        robot.clickOn("#browser-up");
        assertThat(listed(Location.of(bucket, ""))).containsExactly("docs/", "top.bin");
        robot.clickOn("#browser-up");
        assertThat(listed(Location.BUCKETS)).contains(bucket);
        assertThat(fx(() -> pane().rows().selected())).extracting(Entry::name).containsExactly(bucket);

        robot.clickOn("#browser-location").write(other + "/").type(KeyCode.ENTER);
        assertThat(listed(Location.of(other, ""))).isEmpty();
        assertThat(status()).isEqualTo("This bucket is empty");
    }

    @Test
    void aProblemReadsAsASentenceAndTheLatestListingWins(FxRobot robot) throws Exception {
        listed(Location.BUCKETS);
        runFx(() -> pane().go(Location.of("no-such-bucket-" + bucket, ""), null));
        listed(Location.of("no-such-bucket-" + bucket, ""));
        assertThat(status()).startsWith("Cannot list no-such-bucket-" + bucket + "/: ").contains("NoSuchBucket")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(robot.lookup("#browser-placeholder").queryAs(Label.class).getText()).isEqualTo(status());

        // navigating on before a listing answers: only the last place is shown
        runFx(() -> {
            pane().go(Location.of(bucket, "docs/"), null);
            pane().go(Location.of(bucket, ""), null);
        });
        assertThat(listed(Location.of(bucket, ""))).containsExactly("docs/", "top.bin");
    }

    @Test
    void aLargeFolderIsListedAPageAtATime(FxRobot robot) throws Exception {
        for (int i = 0; i < 7; i++) {
            s3.put(bucket, "many/f" + i + ".txt", TestData.bytes(i + 1, 10 + i));
        }
        runFx(() -> pane().setPageSize(3));
        goTo(bucket, "many/");
        assertThat(names()).containsExactly("f0.txt", "f1.txt", "f2.txt");
        assertThat(status()).isEqualTo("3 objects listed; there are more: Load more");
        Button more = robot.lookup("#browser-more").queryButton();
        assertThat(more.isVisible()).isTrue();
        robot.clickOn(more);
        await("six rows", () -> names().size() == 6 && !fx(() -> pane().isListing()));
        robot.clickOn(more);
        await("seven rows", () -> names().size() == 7 && !fx(() -> pane().isListing()));
        assertThat(names()).containsExactly("f0.txt", "f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt", "f6.txt");
        assertThat(more.isVisible()).isFalse();
        assertThat(status()).isEqualTo("7 objects");
    }

    @Test
    void downloadsSelectedObjectsAndWholeFoldersIntoTheChosenFolderOnly(FxRobot robot) throws Exception {
        listed(Location.BUCKETS);
        goTo(bucket, "docs/");
        select("a.txt", "b.bin");
        robot.clickOn("#browser-download");
        awaitCompleted(2);
        assertThat(TestData.sha256(chosen.resolve("a.txt"))).isEqualTo(TestData.sha256(a));
        assertThat(TestData.sha256(chosen.resolve("b.bin"))).isEqualTo(TestData.sha256(b));
        assertThat(status()).isEqualTo("Queued 2 downloads");
        assertThat(mainStatus).containsExactly("Queued 2 downloads");

        // a folder: everything under it, structure recreated below the chosen folder and nowhere else
        chosen = dir.resolve("folder-target");
        goTo(bucket, "");
        select("docs/");
        robot.clickOn("#browser-download");
        awaitCompleted(6);
        assertThat(filesUnder(chosen)).containsExactly("docs/a.txt", "docs/b.bin", "docs/c.log", "docs/sub/d.txt");
        assertThat(TestData.sha256(chosen.resolve("docs/sub/d.txt"))).isEqualTo(TestData.sha256(d));
        assertThat(TestData.sha256(chosen.resolve("docs/b.bin"))).isEqualTo(TestData.sha256(b));
        assertThat(filesUnder(dir.resolve("default-downloads"))).isEmpty();
        assertThat(filesUnder(dir)).allMatch(f -> f.startsWith("chosen/") || f.startsWith("folder-target/")
                || f.startsWith("home/"));
        await("the folder's summary", () -> status().equals("Queued 4 downloads"));
    }

    @Test
    void copiesTheSelectionToAnotherBucketAndRefusesToCopyItOntoItself(FxRobot robot) throws Exception {
        listed(Location.BUCKETS);
        goTo(bucket, "docs/");
        select("a.txt", "c.log", "sub/");
        robot.clickOn("#browser-copy");
        Node ok = robot.lookup("#copy-ok").query();
        assertThat(robot.lookup("#copy-prefix").queryTextInputControl().getText()).isEqualTo("docs/");
        await("the bucket list", () -> fx(() -> robot.lookup("#copy-bucket").queryComboBox().getItems()
                .contains(other)));

        // the same bucket and folder: refused, with the reason
        robot.clickOn(robot.lookup("#copy-bucket").queryComboBox().getEditor()).write(bucket);
        assertThat(robot.lookup("#copy-problem").queryAs(Label.class).getText()).contains("onto itself");
        assertThat(ok.isDisabled()).isTrue();

        runFx(() -> robot.lookup("#copy-bucket").queryComboBox().getEditor().setText(other));
        runFx(() -> robot.lookup("#copy-prefix").queryTextInputControl().clear());
        robot.clickOn("#copy-prefix").write("backup");
        assertThat(robot.lookup("#copy-problem").queryAs(Label.class).getText()).isEmpty();
        assertThat(ok.isDisabled()).isFalse();
        robot.clickOn(ok);

        awaitCompleted(3);
        var store = s3.store();
        assertThat(store.head(ObjectRef.of(other, "backup/a.txt"), new CancelSignal()).size()).isEqualTo(a.length);
        assertThat(store.head(ObjectRef.of(other, "backup/c.log"), new CancelSignal()).size()).isEqualTo(c.length);
        assertThat(store.head(ObjectRef.of(other, "backup/sub/d.txt"), new CancelSignal()).size())
                .isEqualTo(d.length);
        await("the copy summary", () -> status().equals("Queued 3 copies"));
    }

    @Test
    void aCopyReplacesAnObjectAlreadyThereOnlyWhenTheBoxIsTicked(FxRobot robot) throws Exception {
        byte[] theirs = TestData.bytes(321, 40);
        s3.put(other, "kept/a.txt", theirs);
        ObjectRef there = ObjectRef.of(other, "kept/a.txt");
        listed(Location.BUCKETS);
        goTo(bucket, "docs/");
        select("a.txt");

        copyThroughTheDialog(robot, false);
        await("the copy refused", () -> context.service().snapshot().size() == 1
                && context.service().snapshot().get(0).isCopyOntoExisting());
        assertThat(s3.store().head(there, new CancelSignal()).size()).isEqualTo(theirs.length);

        copyThroughTheDialog(robot, true);
        await("the second copy done", () -> context.service().snapshot().size() == 2
                && context.service().snapshot().get(1).state() == TransferState.COMPLETED);
        assertThat(s3.store().head(there, new CancelSignal()).size()).isEqualTo(a.length);
    }

    private void copyThroughTheDialog(FxRobot robot, boolean replace) throws Exception {
        robot.clickOn("#browser-copy");
        CheckBox box = robot.lookup("#copy-replace").queryAs(CheckBox.class);
        assertThat(box.isSelected()).as("replacing is never the default").isFalse();
        runFx(() -> {
            robot.lookup("#copy-bucket").queryComboBox().getEditor().setText(other);
            robot.lookup("#copy-prefix").queryTextInputControl().setText("kept/");
            box.setSelected(replace);
        });
        robot.clickOn("#copy-ok");
    }

    @Test
    void draggingSelectedRowsCarriesThemForTheQueueAndAsLinks(FxRobot robot) throws Exception {
        listed(Location.BUCKETS);
        goTo(bucket, "docs/");
        select("a.txt", "sub/", "c.log");
        ClipboardContent content = fx(() -> pane().dragContent());
        ObjectDrag expected = new ObjectDrag(profile.id(),
                List.of(ObjectRef.of(bucket, "docs/a.txt"), ObjectRef.of(bucket, "docs/c.log")),
                List.of(ObjectRef.of(bucket, "docs/sub/")));
        assertThat(ObjectDrag.decode(content.get(ObjectDrag.FORMAT))).contains(expected);
        assertThat(content.getString()).isEqualTo(expected.asLinks());
        assertThat(content.getString()).contains("s3://" + bucket + "/docs/a.txt");
    }

    @Test
    void withoutAnyConnectionItSaysToAddOneFirst(FxRobot robot) throws Exception {
        listed(Location.BUCKETS);
        new ProfileStore(context.home().resolve(ProfileStore.FILE_NAME), SecretStores.best(context.home()))
                .remove(profile.id());
        runFx(() -> pane().reloadConnections());
        assertThat(status()).isEqualTo("Add a connection first");
        assertThat(names()).isEmpty();
        assertThat(robot.lookup("#browser-placeholder").queryAs(Label.class).getText())
                .startsWith("Add a connection first");
        assertThat(robot.lookup("#browser-connection").queryComboBox().isDisabled()).isTrue();
        assertThat(robot.lookup("#browser-download").queryButton().isDisabled()).isTrue();
    }
}
