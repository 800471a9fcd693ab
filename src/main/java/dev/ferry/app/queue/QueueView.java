package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DataFormat;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;

/**
 * The transfer queue as a table: one row per transfer with name, kind, size, progress, speed, ETA, state and
 * its own limit. Multiple selection; rows are dragged to reorder; Delete removes, Space pauses or resumes;
 * a context menu holds every action.
 */
public final class QueueView {
    /** What a row drag carries: the dragged transfers' ids, comma-separated. */
    public static final DataFormat ROWS = new DataFormat("application/x-ferry-transfer-ids");
    /** The queue's row height in pixels, as in the stylesheet. */
    static final double ROW_HEIGHT = 30;

    private final QueueModel model;
    private final QueueActions actions;
    private final TableView<TransferRow> table = new TableView<>();
    private final Set<Long> selectedIds = new LinkedHashSet<>();
    private boolean restoringSelection;

    public QueueView(QueueModel model, QueueActions actions) {
        this.model = model;
        this.actions = actions;
        table.setId("queue");
        // before the table listens: its selection model reacts to the rows' changes in its own way
        model.rows().addListener((ListChangeListener<TransferRow>) c -> {
            if (structural(c) && !selectedIds.isEmpty()) {
                restoringSelection = true; // keep what was selected until the table has seen the change
            }
        });
        table.setItems(model.rows());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        // every row is one line as high as the stylesheet makes it (ferry.css, -fx-cell-size of #queue's rows):
        // a fixed size spares the table measuring each row it shows, a third of a frame's work when scrolling
        table.setFixedCellSize(ROW_HEIGHT);
        table.setPlaceholder(placeholder());
        addColumns();
        table.setRowFactory(t -> row());
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE) {
                actions.remove(selected());
                e.consume();
            } else if (e.getCode() == KeyCode.SPACE) {
                actions.togglePause(selected());
                e.consume();
            }
        });
        keepSelectionAcrossReorders();
    }

    public TableView<TransferRow> table() {
        return table;
    }

    public List<TransferRow> selected() {
        return new ArrayList<>(table.getSelectionModel().getSelectedItems());
    }

    public ObservableValue<TransferRow> focusedRow() {
        return table.getSelectionModel().selectedItemProperty();
    }

    /** True while no selected transfer allows {@code what}: for disabling buttons. */
    public BooleanBinding noneSelected(Predicate<TransferRow> what) {
        ObservableList<TransferRow> sel = table.getSelectionModel().getSelectedItems();
        return Bindings.createBooleanBinding(() -> sel.stream().noneMatch(what), sel, model.rows());
    }

    public void select(long id) {
        TransferRow r = model.row(id);
        if (r != null) {
            table.getSelectionModel().clearSelection();
            table.getSelectionModel().select(r);
        }
    }

    private static Label placeholder() {
        Label l = new Label("No transfers yet.\nDrop s3:// or tos:// links here, paste them with Ctrl+V,\n"
                + "or add a connection and browse its buckets.");
        l.setId("queue-placeholder");
        return l;
    }

    /**
     * Cells observe the rows' properties and format what they show themselves: a binding made in a cell value
     * factory would be made anew each time a cell shows another row, and stay registered with the row's property.
     */
    private void addColumns() {
        TableColumn<TransferRow, String> name = text("Name", TransferRow::nameProperty, s -> s, 260);
        TableColumn<TransferRow, String> kind = text("Kind", TransferRow::kindProperty, s -> s, 80);
        TableColumn<TransferRow, Number> size = text("Size", TransferRow::sizeProperty,
                n -> Formats.size(n.longValue()), 90);
        TableColumn<TransferRow, Double> progress = new TableColumn<>("Progress");
        progress.setCellValueFactory(c -> c.getValue().progressProperty().asObject());
        progress.setCellFactory(c -> new ProgressCell());
        progress.setPrefWidth(140);
        TableColumn<TransferRow, Number> speed = text("Speed", TransferRow::rateProperty,
                n -> Formats.rate(n.longValue()), 100);
        TableColumn<TransferRow, Number> eta = text("ETA", TransferRow::etaProperty,
                n -> Formats.eta(n.longValue()), 90);
        TableColumn<TransferRow, String> state = text("State", TransferRow::statusProperty, s -> s, 200);
        TableColumn<TransferRow, Number> limit = text("Limit", TransferRow::limitProperty,
                n -> n.longValue() > 0 ? Formats.limit(n.longValue()) : "", 100);
        List<TableColumn<TransferRow, ?>> columns = List.of(name, kind, size, progress, speed, eta, state, limit);
        for (TableColumn<TransferRow, ?> c : columns) {
            c.setSortable(false); // the queue's order is its meaning
        }
        table.getColumns().setAll(columns);
    }

    private static <T> TableColumn<TransferRow, T> text(String title,
                                                        Function<TransferRow, ObservableValue<T>> value,
                                                        Function<T, String> format, double width) {
        TableColumn<TransferRow, T> c = new TableColumn<>(title);
        c.setId("col-" + title.toLowerCase());
        c.setCellValueFactory(cell -> value.apply(cell.getValue()));
        c.setPrefWidth(width);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                String item = empty || value == null ? null : format.apply(value);
                setText(item);
                // long texts (a failure's reason) are cut by the column: the whole text is a hover away
                setTooltip(empty || item == null || item.length() < 24 ? null : new Tooltip(item));
            }
        });
        return c;
    }

    private TableRow<TransferRow> row() {
        TableRow<TransferRow> row = new TableRow<>();
        row.setContextMenu(contextMenu());
        row.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()
                    && QueueActions.canOpen(row.getItem())) {
                actions.openFile(row.getItem());
            }
        });
        row.setOnDragDetected(e -> {
            if (row.isEmpty()) {
                return;
            }
            ClipboardContent content = new ClipboardContent();
            StringBuilder ids = new StringBuilder();
            for (TransferRow r : selected().contains(row.getItem()) ? selected() : List.of(row.getItem())) {
                ids.append(ids.length() == 0 ? "" : ",").append(r.id());
            }
            content.put(ROWS, ids.toString());
            row.startDragAndDrop(TransferMode.MOVE).setContent(content);
            e.consume();
        });
        row.setOnDragOver(e -> {
            if (e.getDragboard().hasContent(ROWS)) {
                e.acceptTransferModes(TransferMode.MOVE);
                e.consume();
            }
        });
        row.setOnDragDropped(e -> {
            if (!e.getDragboard().hasContent(ROWS)) {
                return;
            }
            List<Long> ids = parseIds((String) e.getDragboard().getContent(ROWS));
            int index = row.isEmpty() ? model.rows().size() : row.getIndex();
            actions.moveTo(ids, index);
            e.setDropCompleted(true);
            e.consume();
        });
        return row;
    }

    static List<Long> parseIds(String text) {
        List<Long> ids = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                ids.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException ignored) {
                // not ours
            }
        }
        return ids;
    }

    private ContextMenu contextMenu() {
        MenuItem pause = item("Pause", () -> actions.pause(selected()), QueueActions::canPause);
        MenuItem resume = item("Resume", () -> actions.resume(selected()), QueueActions::canResume);
        MenuItem retry = item("Retry", () -> actions.retry(selected()), QueueActions::canRetry);
        MenuItem replace = item("Replace existing object…", () -> actions.replace(selected()),
                QueueActions::canReplace);
        MenuItem cancel = item("Cancel…", () -> actions.cancel(selected()), QueueActions::canCancel);
        MenuItem remove = item("Remove from list", () -> actions.remove(selected()), r -> true);
        MenuItem limit = item("Speed limit…", () -> actions.askLimit(selected()), r -> true);
        MenuItem fresh = item("Use a fresh link…", () -> selected().stream().filter(actions::canUseFreshLink)
                .findFirst().ifPresent(actions::askFreshLink), actions::canUseFreshLink);
        MenuItem open = item("Open file", () -> selected().stream().findFirst().ifPresent(actions::openFile),
                QueueActions::canOpen);
        MenuItem folder = item("Show in folder", () -> selected().stream().findFirst().ifPresent(actions::showInFolder),
                QueueActions::canOpen);
        MenuItem top = item("Move to top", () -> actions.moveToTop(selected()), r -> true);
        MenuItem up = item("Move up", () -> actions.moveUp(selected()), r -> true);
        MenuItem down = item("Move down", () -> actions.moveDown(selected()), r -> true);
        MenuItem bottom = item("Move to bottom", () -> actions.moveToBottom(selected()), r -> true);
        return new ContextMenu(pause, resume, retry, replace, cancel, remove, new SeparatorMenuItem(), limit, fresh,
                new SeparatorMenuItem(), open, folder, new SeparatorMenuItem(), top, up, down, bottom);
    }

    private MenuItem item(String text, Runnable action, Predicate<TransferRow> enabledFor) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(e -> action.run());
        item.disableProperty().bind(noneSelected(enabledFor));
        return item;
    }

    /**
     * The model replaces a stretch of rows when transfers are added, removed or moved; the selection follows the
     * transfers, not the indexes. What is selected is recorded as ids; a listener that runs before the table's
     * selection model freezes that record during a structural change, and this one restores it afterwards.
     */
    private void keepSelectionAcrossReorders() {
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<TransferRow>) c -> {
            if (!restoringSelection) {
                selectedIds.clear();
                table.getSelectionModel().getSelectedItems().forEach(r -> {
                    if (r != null) {
                        selectedIds.add(r.id());
                    }
                });
            }
        });
        model.rows().addListener((ListChangeListener<TransferRow>) c -> {
            if (!structural(c)) {
                return;
            }
            try {
                if (!selectedIds.isEmpty()) {
                    restoreSelection();
                }
            } finally {
                restoringSelection = false;
            }
        });
    }

    private static boolean structural(ListChangeListener.Change<? extends TransferRow> c) {
        boolean structural = false;
        while (c.next()) {
            structural |= !c.wasUpdated();
        }
        c.reset();
        return structural;
    }

    /** Selects the transfers recorded in {@link #selectedIds} that are still there. */
    private void restoreSelection() {
        restoringSelection = true;
        selectedIds.removeIf(id -> model.row(id) == null);
        List<TransferRow> now = table.getSelectionModel().getSelectedItems();
        if (now.size() == selectedIds.size() && now.stream().allMatch(r -> r != null && selectedIds.contains(r.id()))) {
            return; // the change left the selection as it was
        }
        // the indexes in one pass over the rows: selecting row objects one by one would search the rows for each
        long last = -1;
        for (long id : selectedIds) {
            last = id;
        }
        int[] indexes = new int[selectedIds.size()];
        int n = 0;
        int lastIndex = -1;
        List<TransferRow> rows = model.rows();
        for (int i = 0; i < rows.size() && n < indexes.length; i++) {
            long id = rows.get(i).id();
            if (selectedIds.contains(id)) {
                indexes[n++] = i;
                lastIndex = id == last ? i : lastIndex;
            }
        }
        table.getSelectionModel().clearSelection();
        if (n > 0) {
            table.getSelectionModel().selectIndices(indexes[0], Arrays.copyOfRange(indexes, 1, n));
            table.getSelectionModel().select(lastIndex); // the one chosen last stays the one the details show
        }
    }
}
