package dev.ferry.app.browser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;

import org.controlsfx.control.StatusBar;

import dev.ferry.app.AppContext;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.storage.ObjectStore;

/**
 * The browser's content: a connection, where it is (bucket/prefix/, typed or reached by opening rows, Up and
 * Refresh), a filter, the rows, and Download… / Copy to… for the selection. Every listing runs in the background
 * and only the latest one is shown; problems read as sentences in the status line.
 */
public final class BrowserPane {
    private final AppContext context;
    private final Loader loader;
    private final ConnectionPicker connection;
    private final SelectionActions actions;
    private final TextField location = new TextField();
    private final TextField filter = new TextField();
    private final EntryTable rows = new EntryTable();
    private final StatusBar status = new StatusBar();
    private final Button more = new Button("Load more");
    private final BorderPane root = new BorderPane();
    private final ObjectProperty<Location> at = new SimpleObjectProperty<>(Location.BUCKETS);
    private final SimpleBooleanProperty listing = new SimpleBooleanProperty();
    private String nextToken;
    private String lastProblem;
    private int pageSize = Listing.PAGE_SIZE;

    /** @param report also receives what Download… and Copy to… queued (e.g. the main window's status bar) */
    public BrowserPane(AppContext context, Consumer<String> report) {
        this.context = context;
        this.loader = new Loader(context.background(), Platform::runLater);
        this.connection = new ConnectionPicker(context, p -> {
            if (p == null) {
                noConnection();
            } else {
                go(Location.BUCKETS, null);
            }
        });
        this.actions = new SelectionActions(context, connection::chosen, rows::selected, at::get, this::window,
                status::setText, report);
        rows.setOnOpen(this::open);
        rows.setDragContent(actions::dragContent);
        filter.textProperty().addListener((o, was, is) -> {
            rows.filter(is);
            describe();
        });
        root.setTop(toolbar());
        root.setCenter(rows.table());
        root.setBottom(bottom());
        root.setId("browser");
        installKeys();
        noConnection();
    }

    public Parent root() {
        return root;
    }

    /** Replaces the folder question of Download… (tests answer it themselves). */
    public void setFolderChooser(Function<Window, Optional<Path>> chooser) {
        actions.setFolderChooser(chooser);
    }

    /** Keys asked for per listing request; the default is S3's largest page. */
    void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public Location location() {
        return at.get();
    }

    public String statusText() {
        return status.getText();
    }

    /** The connection shown, or null when there is none. */
    public String connectionId() {
        ConnectionProfile p = connection.chosen();
        return p == null ? null : p.id();
    }

    /** The chosen connection, null when there is none. */
    public ReadOnlyObjectProperty<ConnectionProfile> connectionProperty() {
        return connection.node().valueProperty();
    }

    EntryTable rows() {
        return rows;
    }

    // ---- connections ----------------------------------------------------------------------------------------

    /**
     * Reads the connections again (one may have been added or removed meanwhile), keeping the chosen one; lists
     * the buckets of a newly chosen connection.
     */
    public void reloadConnections() {
        connection.reload();
    }

    /** Lists the current location again when nothing is shown yet or the last listing was stopped. */
    void resume() {
        if (connectionId() != null && !loader.busy() && rows.loaded().isEmpty()) {
            go(at.get(), null);
        }
    }

    /** Stops a running listing (the window closes). */
    void stop() {
        loader.stop();
        listing.set(false);
        status.setProgress(0);
    }

    private void noConnection() {
        loader.stop();
        listing.set(false);
        nextToken = null;
        at.set(Location.BUCKETS);
        location.setText("");
        rows.show(List.of());
        rows.placeholder("Add a connection first (Connections… in the main window), then browse its buckets here.");
        status.setProgress(0);
        status.setText("Add a connection first");
        more.setVisible(false);
    }

    // ---- navigation -----------------------------------------------------------------------------------------

    /** Opens a bucket or folder row. */
    public void open(Entry e) {
        if (e.opens()) {
            go(at.get().into(e), null);
        }
    }

    public void up() {
        Location here = at.get();
        if (!here.isBuckets()) {
            go(here.up(), here.nameInParent());
        }
    }

    public void refresh() {
        List<Entry> sel = rows.selected();
        go(at.get(), sel.size() == 1 ? sel.get(0).name() : null);
    }

    /** Goes to {@code target} and lists it; {@code select} names the row to select when it arrives. */
    public void go(Location target, String select) {
        ConnectionProfile profile = connection.chosen();
        if (profile == null) {
            noConnection();
            return;
        }
        at.set(target);
        location.setText(target.text());
        filter.clear();
        nextToken = null;
        lastProblem = null;
        more.setVisible(false);
        rows.show(List.of());
        busy(target.isBuckets() ? "Listing buckets…" : "Listing " + target.text() + "…");
        int size = pageSize;
        loader.start(cancel -> {
            ObjectStore store = context.stores().store(profile.id());
            return target.isBuckets() ? Listing.buckets(store, cancel)
                    : Listing.level(store, target, null, size, cancel);
        }, page -> {
            rows.show(page.entries());
            nextToken = page.nextToken();
            idle();
            if (select != null) {
                rows.select(select);
            }
        }, e -> {
            lastProblem = Problems.listing(e, profile, target);
            idle();
        });
    }

    /** Lists the next page of the current folder, when there is one. */
    public void loadMore() {
        ConnectionProfile profile = connection.chosen();
        Location here = at.get();
        String token = nextToken;
        if (profile == null || token == null || here.isBuckets()) {
            return;
        }
        busy("Listing more of " + here.text() + "…");
        int size = pageSize;
        loader.start(cancel -> Listing.level(context.stores().store(profile.id()), here, token, size, cancel),
                page -> {
                    rows.append(page.entries());
                    nextToken = page.nextToken();
                    idle();
                }, e -> {
                    lastProblem = Problems.listing(e, profile, here);
                    idle();
                });
    }

    private void typedLocation() {
        Optional<Location> typed = Location.parse(location.getText());
        if (typed.isEmpty()) {
            status.setText("Type a place as bucket/folder/ (or s3://bucket/folder/, tos://bucket/folder/)");
            return;
        }
        go(typed.get(), null);
    }

    private void busy(String text) {
        listing.set(true);
        status.setText(text);
        status.setProgress(-1);
        rows.placeholder(text);
    }

    private void idle() {
        listing.set(false);
        status.setProgress(0);
        more.setVisible(nextToken != null);
        describe();
    }

    /** The status line and the empty table's text for what is shown now. */
    private void describe() {
        if (listing.get() || connection.chosen() == null) {
            return;
        }
        if (lastProblem != null) {
            status.setText(lastProblem);
            rows.placeholder(lastProblem);
            return;
        }
        List<Entry> loaded = rows.loaded();
        String text = count(loaded);
        if (nextToken != null) {
            text += " listed; there are more: Load more";
        }
        int shown = rows.shown().size();
        if (!filter.getText().isBlank()) {
            text = "Showing " + shown + " of " + loaded.size() + " (filter \"" + filter.getText().strip() + "\")"
                    + (nextToken != null ? "; more are not listed yet" : "");
        }
        status.setText(text);
        rows.placeholder(!loaded.isEmpty() ? "Nothing matches the filter"
                : at.get().isBuckets() ? "No buckets here. Type a bucket's name in the location bar to open it."
                : at.get().prefix().isEmpty() ? "This bucket is empty" : "This folder is empty");
    }

    private String count(List<Entry> loaded) {
        if (at.get().isBuckets()) {
            return plural(loaded.size(), "bucket", "buckets");
        }
        long folders = loaded.stream().filter(e -> e.kind() == Entry.Kind.FOLDER).count();
        long objects = loaded.size() - folders;
        if (loaded.isEmpty()) {
            return at.get().prefix().isEmpty() ? "This bucket is empty" : "This folder is empty";
        }
        List<String> parts = new ArrayList<>();
        if (folders > 0) {
            parts.add(plural(folders, "folder", "folders"));
        }
        if (objects > 0) {
            parts.add(plural(objects, "object", "objects"));
        }
        return String.join(" and ", parts);
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** Downloads the selection into a folder the person chooses. */
    public void download() {
        actions.download();
    }

    /** Copies the selection to a bucket and prefix the person chooses. */
    public void copyTo() {
        actions.copyTo();
    }

    /** What dragging the selected rows carries: our own format for the queue, s3:// or tos:// links for anything else. */
    public ClipboardContent dragContent() {
        return actions.dragContent(rows.selected());
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    // ---- layout ---------------------------------------------------------------------------------------------

    private ToolBar toolbar() {
        Button upButton = button("browser-up", "Up", "One level up (Backspace)", this::up);
        upButton.disableProperty().bind(Bindings.createBooleanBinding(() -> at.get().isBuckets(), at)
                .or(Bindings.isNull(connection.node().valueProperty())));
        Button refreshButton = button("browser-refresh", "Refresh", "List this place again (F5)", this::refresh);
        refreshButton.disableProperty().bind(Bindings.isNull(connection.node().valueProperty()));

        location.setId("browser-location");
        location.setPromptText("bucket/folder/  (Enter to go there; empty for the bucket list)");
        location.setOnAction(e -> typedLocation());
        location.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                location.setText(at.get().text());
            }
        });
        HBox.setHgrow(location, Priority.ALWAYS);
        location.setMaxWidth(Double.MAX_VALUE);
        HBox grow = new HBox(location);
        HBox.setHgrow(grow, Priority.ALWAYS);

        filter.setId("browser-filter");
        filter.setPromptText("Filter by name");
        filter.setPrefWidth(180);
        filter.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                filter.clear();
            }
        });
        return new ToolBar(connection.node(), upButton, refreshButton, grow, filter);
    }

    private Region bottom() {
        Button download = button("browser-download", "Download…", "Download the selection into a folder",
                this::download);
        Button copy = button("browser-copy", "Copy to…", "Copy the selection to a bucket and prefix on this connection",
                this::copyTo);
        var none = Bindings.isEmpty(rows.table().getSelectionModel().getSelectedItems());
        download.disableProperty().bind(none);
        copy.disableProperty().bind(none);
        more.setId("browser-more");
        more.setTooltip(new Tooltip("List the next page of this folder"));
        more.setOnAction(e -> loadMore());
        more.setVisible(false);
        more.disableProperty().bind(listing);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox actions = new HBox(8, download, copy, spacer, more);
        actions.setPadding(new Insets(6, 8, 6, 8));
        status.setId("browser-status");
        BorderPane bottom = new BorderPane(actions);
        bottom.setBottom(status);
        return bottom;
    }

    private static Button button(String id, String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private void installKeys() {
        rows.table().addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.BACK_SPACE) {
                up();
                e.consume();
            }
        });
        KeyCombination altUp = new KeyCodeCombination(KeyCode.UP, KeyCombination.ALT_DOWN);
        KeyCombination find = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
        root.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (altUp.match(e)) {
                up();
                e.consume();
            } else if (e.getCode() == KeyCode.F5) {
                refresh();
                e.consume();
            } else if (find.match(e)) {
                filter.requestFocus();
                e.consume();
            }
        });
    }

    /** For tests: whether a listing is running. */
    boolean isListing() {
        return listing.get();
    }
}
