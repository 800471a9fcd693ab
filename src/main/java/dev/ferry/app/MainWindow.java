package dev.ferry.app;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import org.controlsfx.control.Notifications;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

import dev.ferry.app.about.AboutDialog;
import dev.ferry.app.queue.BandwidthControl;
import dev.ferry.app.queue.DetailPane;
import dev.ferry.app.queue.Formats;
import dev.ferry.app.queue.Intake;
import dev.ferry.app.queue.Links;
import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.app.queue.QueueActions;
import dev.ferry.app.queue.QueueModel;
import dev.ferry.app.queue.QueueView;
import dev.ferry.app.queue.TransferRow;
import dev.ferry.app.settings.AppSettings;
import dev.ferry.app.settings.SettingsStore;
import dev.ferry.app.ui.Dialogs;
import dev.ferry.profiles.StoreKind;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/**
 * The main window's content: a toolbar, the transfer queue over the selected transfer's details, and a status
 * bar with messages and the global bandwidth slider. Links dropped anywhere on it or pasted with Ctrl+V are
 * queued as downloads into the default download folder.
 */
public final class MainWindow {
    private final QueueModel model;
    private final QueueView queue;
    private final QueueActions actions;
    private final DetailPane detail;
    private final BandwidthControl bandwidth;
    private final Intake intake;
    private final SettingsStore settings;
    private final Function<StoreKind, String> linkConnection;
    private static final int HISTORY = 30;
    private final List<TransferSnapshot> pendingNotices = new java.util.ArrayList<>();
    private final javafx.animation.PauseTransition noticeDelay =
            new javafx.animation.PauseTransition(javafx.util.Duration.millis(600));
    private final StatusBar statusBar = new StatusBar();
    private final List<String> messages = new java.util.ArrayList<>();
    private final Tooltip statusTip = new Tooltip();
    private final Label dropHint = new Label();
    private final BorderPane root = new BorderPane();
    private Runnable onConnections = () -> { };
    private Runnable onBrowse = () -> { };
    private Runnable onSettings = () -> { };

    /**
     * A window whose dropped and pasted links, s3:// or tos://, are all served by one connection.
     *
     * @param linkConnection the connection id that serves dropped and pasted links, or null when there is none yet
     */
    public MainWindow(QueueModel model, Intake intake, SettingsStore settings, Supplier<String> linkConnection,
                      Consumer<Path> opener) {
        this(model, intake, settings, (Function<StoreKind, String>) kind -> linkConnection.get(), opener);
    }

    /**
     * @param linkConnection the connection id that serves dropped and pasted links of a kind (s3:// or tos://), or
     *                       null when there is none yet
     * @param opener         opens a file or folder with the desktop's default application
     */
    public MainWindow(QueueModel model, Intake intake, SettingsStore settings,
                      Function<StoreKind, String> linkConnection, Consumer<Path> opener) {
        this.model = model;
        this.intake = intake;
        this.settings = settings;
        this.linkConnection = linkConnection;
        statusBar.setId("status-bar");
        statusBar.setText("Ready");
        statusBar.setTooltip(statusTip);
        this.actions = new QueueActions(model, root, this::status, opener, intake.background());
        this.queue = new QueueView(model, actions);
        this.detail = new DetailPane(model, actions);
        queue.table().setPlaceholder(firstRun());
        this.bandwidth = new BandwidthControl(model, model.service(), settings.get().globalLimit(),
                limit -> settings.set(settings.get().withGlobalLimit(limit)));
        statusBar.getRightItems().add(bandwidth.node());

        queue.focusedRow().addListener((o, old, row) -> detail.show(row));
        noticeDelay.setOnFinished(e -> flushNotices());
        model.service().onFinished(s -> javafx.application.Platform.runLater(() -> announce(s)));
        model.service().onNotice(text -> javafx.application.Platform.runLater(() -> status(text)));
        model.rows().addListener((javafx.collections.ListChangeListener<TransferRow>) c -> detail.refresh());

        dropHint.setId("drop-hint");
        dropHint.setVisible(false);
        dropHint.setMouseTransparent(true);
        StackPane queueArea = new StackPane(queue.table(), dropHint);
        StackPane.setAlignment(dropHint, Pos.CENTER);

        SplitPane split = new SplitPane(queueArea, detail.node());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.62);

        root.setTop(toolbar());
        root.setCenter(split);
        root.setBottom(statusBar);
        root.setId("main-window");
        installDrop();
        root.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                Themes.apply(scene, settings.get().theme());
            }
        });
        Themes.follow(() -> settings.get().theme()); // the browser, connections and every dialog look the same
        root.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN).match(e)) {
                paste();
                e.consume();
            }
        });
    }

    /**
     * Asks before quitting while transfers run (quitting pauses them; they continue at the next start). True
     * when the app may close.
     */
    public boolean confirmQuit() {
        long running = model.service().snapshot().stream().filter(TransferSnapshot::isActive).count();
        if (running == 0) {
            return true;
        }
        return Dialogs.confirm(root, "Quit Ferry?", (running == 1 ? "A transfer is" : running + " transfers are")
                + " running. Quitting pauses " + (running == 1 ? "it" : "them")
                + "; Ferry continues from the checkpoints when it starts again.", "Pause and quit");
    }

    /**
     * A transfer's run ended: completed and failed ones get a status line and a notification. Endings that come
     * close together (a folder of small files) are gathered into one notification per kind of ending, so a
     * burst of them never buries the window in popups.
     */
    private void announce(TransferSnapshot s) {
        String what = s.kind() == TransferSpec.Kind.COPY ? "Copy" : "Download";
        if (s.state() == TransferState.COMPLETED) {
            status(what + " completed: " + s.name());
        } else if (s.state() == TransferState.FAILED) {
            status(what + " failed: " + s.name() + ": " + s.message());
        } else {
            return;
        }
        pendingNotices.add(s);
        noticeDelay.playFromStart();
    }

    private void flushNotices() {
        List<TransferSnapshot> done = pendingNotices.stream().filter(x -> x.state() == TransferState.COMPLETED).toList();
        List<TransferSnapshot> failed = pendingNotices.stream().filter(x -> x.state() == TransferState.FAILED).toList();
        pendingNotices.clear();
        if (done.size() == 1) {
            TransferSnapshot s = done.get(0);
            notice(kindOf(s) + " completed", s.name() + (s.total() >= 0 ? " · " + Formats.size(s.total()) : ""), false);
        } else if (done.size() > 1) {
            notice(done.size() + " transfers completed", names(done), false);
        }
        if (failed.size() == 1) {
            TransferSnapshot s = failed.get(0);
            notice(kindOf(s) + " failed", s.name() + "\n" + s.message(), true);
        } else if (failed.size() > 1) {
            notice(failed.size() + " transfers failed", names(failed) + "\nThe first: " + failed.get(0).message(), true);
        }
    }

    private static String kindOf(TransferSnapshot s) {
        return s.kind() == TransferSpec.Kind.COPY ? "Copy" : "Download";
    }

    static String names(List<TransferSnapshot> all) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < all.size() && i < 3; i++) {
            text.append(i == 0 ? "" : ", ").append(all.get(i).name());
        }
        return all.size() > 3 ? text + " and " + (all.size() - 3) + " more" : text.toString();
    }

    private void notice(String title, String text, boolean error) {
        if (root.getScene() == null || root.getScene().getWindow() == null || !root.getScene().getWindow().isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(root.getScene().getWindow()).title(title).text(wrap(text, 72))
                .position(Pos.BOTTOM_RIGHT).hideAfter(javafx.util.Duration.seconds(error ? 12 : 5));
        if (error) {
            n.showError();
        } else {
            n.showInformation();
        }
    }

    /** Breaks long lines at spaces so a notification stays narrow enough to read on screen. */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int col = 0;
            for (String word : line.split(" ")) {
                if (col > 0 && col + 1 + word.length() > width) {
                    out.append('\n');
                    col = 0;
                } else if (col > 0) {
                    out.append(' ');
                    col++;
                }
                out.append(word);
                col += word.length();
            }
            out.append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    public Parent root() {
        return root;
    }

    public QueueView queue() {
        return queue;
    }

    public BandwidthControl bandwidth() {
        return bandwidth;
    }

    public void setOnConnections(Runnable r) {
        onConnections = r;
    }

    public void setOnBrowse(Runnable r) {
        onBrowse = r;
    }

    public void setOnSettings(Runnable r) {
        onSettings = r;
    }

    /** Shows a one-line message in the status bar (the last {@value #HISTORY} are kept, as its tooltip). */
    public void status(String text) {
        statusBar.setText(text);
        messages.add(text);
        if (messages.size() > HISTORY) {
            messages.remove(0);
        }
        statusTip.setText(String.join("\n", messages));
    }

    /** The recent status messages, oldest first. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    public String statusText() {
        return statusBar.getText();
    }

    /** Refreshes what the timer would: for a view that must show the latest state now. */
    public void refresh() {
        model.refresh();
        detail.refresh();
    }

    private ToolBar toolbar() {
        Button addLink = button("add-link", "Add links…", MaterialDesignL.LINK_VARIANT_PLUS,
                "Download s3:// or tos:// links (or press Ctrl+V to paste them)", this::askLinks);
        Button connections = button("connections", "Connections…", MaterialDesignS.SERVER_NETWORK,
                "Add, edit and test storage connections", () -> onConnections.run());
        Button browse = button("browse", "Browse…", MaterialDesignF.FOLDER_SEARCH_OUTLINE,
                "Browse a connection's buckets and objects", () -> onBrowse.run());
        Button pause = selectionButton("pause", "Pause", MaterialDesignP.PAUSE, "Pause the selected transfers (Space)",
                QueueActions::canPause, () -> actions.pause(queue.selected()));
        Button resume = selectionButton("resume", "Resume", MaterialDesignP.PLAY,
                "Resume the selected transfers (Space)", QueueActions::canResume, () -> actions.resume(queue.selected()));
        Button cancel = selectionButton("cancel-transfer", "Cancel", MaterialDesignC.CANCEL,
                "Cancel the selected transfers and delete what they transferred", QueueActions::canCancel,
                () -> actions.cancel(queue.selected()));
        Button retry = selectionButton("retry", "Retry", MaterialDesignR.REFRESH, "Run failed or cancelled transfers again",
                QueueActions::canRetry, () -> actions.retry(queue.selected()));
        Button remove = selectionButton("remove", "Remove", MaterialDesignD.DELETE_OUTLINE,
                "Remove the selected transfers from the list (Delete)", r -> true, () -> actions.remove(queue.selected()));
        Button up = selectionButton("move-up", null, MaterialDesignA.ARROW_UP, "Move up in the queue", r -> true,
                () -> actions.moveUp(queue.selected()));
        Button down = selectionButton("move-down", null, MaterialDesignA.ARROW_DOWN, "Move down in the queue",
                r -> true, () -> actions.moveDown(queue.selected()));
        Button pauseAll = button("pause-all", null, MaterialDesignP.PAUSE_CIRCLE_OUTLINE, "Pause every transfer",
                actions::pauseAll);
        Button resumeAll = button("resume-all", null, MaterialDesignP.PLAY_CIRCLE_OUTLINE,
                "Resume every paused transfer", actions::resumeAll);
        Button theme = button("theme", null, MaterialDesignT.THEME_LIGHT_DARK, "Switch between light and dark",
                this::toggleTheme);
        Button settingsButton = button("settings", null, MaterialDesignC.COG_OUTLINE,
                "Settings: download folder, transfers at once, connection for links", () -> onSettings.run());
        Button about = button("about", null, MaterialDesignI.INFORMATION_OUTLINE,
                "About Ferry: version, licence, third-party libraries", this::showAbout);
        return new ToolBar(addLink, connections, browse, new Separator(), pause, resume, cancel, retry, remove,
                new Separator(), up, down, new Separator(), pauseAll, resumeAll, new Separator(), theme,
                settingsButton, about);
    }

    private void showAbout() {
        AboutDialog.show(root.getScene() == null ? null : root.getScene().getWindow());
    }

    /**
     * What an empty queue shows, on the first start above all: what Ferry needs (a connection) and takes (links,
     * dropped, pasted or typed), with buttons for both.
     */
    private VBox firstRun() {
        ImageView icon = new ImageView();
        AppIcons.image(64).ifPresent(icon::setImage);
        Label title = new Label("No transfers yet");
        title.setId("first-run-title");
        title.setStyle("-fx-font-size: 20px; -fx-font-weight: bold;");
        Label steps = new Label("Drop links here (s3://, tos://, http:// or https://), or paste them with Ctrl+V.\n"
                + "Bucket links are fetched through a connection to your storage:\n"
                + "add one first, then drop links or browse its buckets.");
        steps.setId("queue-placeholder");
        steps.setWrapText(true);
        Button addLinks = new Button("Add links…", new FontIcon(MaterialDesignL.LINK_VARIANT_PLUS));
        addLinks.setId("first-run-add-links");
        addLinks.setOnAction(e -> askLinks());
        Button addConnection = new Button("Connections…", new FontIcon(MaterialDesignS.SERVER_NETWORK));
        addConnection.setId("first-run-connections");
        addConnection.setOnAction(e -> onConnections.run());
        HBox buttons = new HBox(12, addConnection, addLinks);
        buttons.setAlignment(Pos.CENTER);
        VBox box = new VBox(12, icon, title, steps, buttons);
        box.setId("first-run");
        box.setAlignment(Pos.CENTER);
        box.setPadding(new javafx.geometry.Insets(24));
        box.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        return box;
    }

    private static Button button(String id, String text, Ikon icon, String tip, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private Button selectionButton(String id, String text, Ikon icon, String tip, Predicate<TransferRow> enabledFor,
                                   Runnable action) {
        Button b = button(id, text, icon, tip, action);
        BooleanBinding off = queue.noneSelected(enabledFor);
        b.disableProperty().bind(off);
        return b;
    }

    /** Switches between the light and the dark theme, and remembers the choice. */
    public void toggleTheme() {
        String next = AppSettings.DARK.equals(settings.get().theme()) ? AppSettings.LIGHT : AppSettings.DARK;
        settings.set(settings.get().withTheme(next));
        Themes.refresh();
    }

    // ---- links: drop, paste, type -------------------------------------------------------------------------

    private void askLinks() {
        Dialogs.ask(root, "Add links", "s3:// or tos:// links, one per line or separated by spaces:", "")
                .ifPresent(text -> take(text.replaceAll("\\s+", "\n")));
    }

    private void paste() {
        Clipboard cb = Clipboard.getSystemClipboard();
        String text = cb.hasUrl() ? cb.getUrl() : cb.hasString() ? cb.getString() : null;
        if (text == null) {
            status("The clipboard holds no links");
            return;
        }
        take(text);
    }

    /** Queues the links in {@code text}; says what happened, or why nothing did. */
    public void take(String text) {
        Links.Parsed parsed = Links.parse(text);
        if (parsed.isEmpty()) {
            status(parsed.problems().isEmpty() ? "No links found" : "Not taken: " + parsed.problems().get(0));
            return;
        }
        Path folder = Path.of(settings.get().downloadFolder());
        if (!parsed.links().isEmpty()) {
            status(parsed.summary() + "…");
            intake.downloadLinks(parsed.links(), folder, this::report);
        }
        if (!parsed.needsConnection()) {
            return;
        }
        String connection = linkConnection.apply(parsed.kind());
        if (connection == null) {
            status("Add a connection first (Connections…): it tells Ferry where " + parsed.kind().scheme()
                    + " links live");
            return;
        }
        status(parsed.summary() + "…");
        intake.download(connection, parsed.objects(), parsed.folders(), folder, this::report);
    }

    /** Queues objects and folders of a connection (from the browser) into the default download folder. */
    public void download(ObjectDrag drag) {
        Links.Parsed what = new Links.Parsed(drag.objects(), drag.folders(), List.of());
        status(what.summary() + "…");
        intake.download(drag.connectionId(), drag.objects(), drag.folders(),
                Path.of(settings.get().downloadFolder()), this::report);
    }

    private void report(String message) {
        if (javafx.application.Platform.isFxApplicationThread()) {
            status(message);
            model.refresh();
        } else {
            javafx.application.Platform.runLater(() -> {
                status(message);
                model.refresh();
            });
        }
    }

    private void installDrop() {
        root.addEventHandler(DragEvent.DRAG_OVER, e -> {
            Dragboard db = e.getDragboard();
            if (db.hasContent(QueueView.ROWS)) {
                return; // a row being reordered: the rows handle it
            }
            var objects = ObjectDrag.decode(db.getContent(ObjectDrag.FORMAT));
            if (objects.isPresent()) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                hint(new Links.Parsed(objects.get().objects(), objects.get().folders(), List.of()).summary()
                        + " into " + settings.get().downloadFolder());
                e.consume();
                return;
            }
            Links.Parsed parsed = Links.parse(droppedText(db));
            if (!parsed.isEmpty()) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                hint(parsed.summary() + " into " + settings.get().downloadFolder());
            } else {
                hint(db.hasFiles() ? "Local files cannot be queued: drop s3:// or tos:// links"
                        : parsed.problems().isEmpty() ? "Nothing to download here" : parsed.problems().get(0));
            }
            e.consume();
        });
        root.addEventHandler(DragEvent.DRAG_EXITED, e -> dropHint.setVisible(false));
        root.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            Dragboard db = e.getDragboard();
            if (db.hasContent(QueueView.ROWS)) {
                return;
            }
            dropHint.setVisible(false);
            var objects = ObjectDrag.decode(db.getContent(ObjectDrag.FORMAT));
            if (objects.isPresent()) {
                download(objects.get());
                e.setDropCompleted(true);
                e.consume();
                return;
            }
            String text = droppedText(db);
            take(text);
            e.setDropCompleted(!Links.parse(text).isEmpty());
            e.consume();
        });
    }

    private void hint(String text) {
        dropHint.setText(text);
        dropHint.setVisible(true);
    }

    static String droppedText(Dragboard db) {
        StringBuilder text = new StringBuilder();
        if (db.hasUrl()) {
            text.append(db.getUrl()).append('\n');
        }
        if (db.hasString()) {
            text.append(db.getString()).append('\n');
        }
        if (db.hasFiles()) {
            List<java.io.File> files = db.getFiles();
            for (java.io.File f : files) {
                text.append(f.toPath()).append('\n');
            }
        }
        return text.toString();
    }
}
