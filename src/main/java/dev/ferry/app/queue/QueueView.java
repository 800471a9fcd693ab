package dev.ferry.app.queue;

import java.util.ArrayList;
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

    private final QueueModel model;
    private final QueueActions actions;
    private final TableView<TransferRow> table = new TableView<>();
    private final Set<Long> selectedIds = new LinkedHashSet<>();
    private boolean restoringSelection;

    public QueueView(QueueModel model, QueueActions actions) {
        this.model = model;
        this.actions = actions;
        table.setId("queue");
        table.setItems(model.rows());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
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
        Label l = new Label("No transfers yet.\nDrop s3:// links here, paste them with Ctrl+V,\n"
                + "or add a connection and browse its buckets.");
        l.setId("queue-placeholder");
        return l;
    }

    private void addColumns() {
        TableColumn<TransferRow, String> name = text("Name", TransferRow::nameProperty, 260);
        TableColumn<TransferRow, String> kind = text("Kind", TransferRow::kindProperty, 80);
        TableColumn<TransferRow, String> size = text("Size",
                r -> Bindings.createStringBinding(() -> Formats.size(r.sizeProperty().get()), r.sizeProperty()), 90);
        TableColumn<TransferRow, Double> progress = new TableColumn<>("Progress");
        progress.setCellValueFactory(c -> c.getValue().progressProperty().asObject());
        progress.setCellFactory(c -> new ProgressCell());
        progress.setPrefWidth(140);
        TableColumn<TransferRow, String> speed = text("Speed",
                r -> Bindings.createStringBinding(() -> Formats.rate(r.rateProperty().get()), r.rateProperty()), 100);
        TableColumn<TransferRow, String> eta = text("ETA",
                r -> Bindings.createStringBinding(() -> Formats.eta(r.etaProperty().get()), r.etaProperty()), 90);
        TableColumn<TransferRow, String> state = text("State", TransferRow::statusProperty, 200);
        TableColumn<TransferRow, String> limit = text("Limit",
                r -> Bindings.createStringBinding(() -> r.limitProperty().get() > 0
                        ? Formats.limit(r.limitProperty().get()) : "", r.limitProperty()), 100);
        List<TableColumn<TransferRow, ?>> columns = List.of(name, kind, size, progress, speed, eta, state, limit);
        for (TableColumn<TransferRow, ?> c : columns) {
            c.setSortable(false); // the queue's order is its meaning
        }
        table.getColumns().setAll(columns);
    }

    private static TableColumn<TransferRow, String> text(String title,
                                                         Function<TransferRow, ObservableValue<String>> value,
                                                         double width) {
        TableColumn<TransferRow, String> c = new TableColumn<>(title);
        c.setId("col-" + title.toLowerCase());
        c.setCellValueFactory(cell -> value.apply(cell.getValue()));
        c.setPrefWidth(width);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
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
        MenuItem cancel = item("Cancel…", () -> actions.cancel(selected()), QueueActions::canCancel);
        MenuItem remove = item("Remove from list", () -> actions.remove(selected()), r -> true);
        MenuItem limit = item("Speed limit…", () -> actions.askLimit(selected()), r -> true);
        MenuItem open = item("Open file", () -> selected().stream().findFirst().ifPresent(actions::openFile),
                QueueActions::canOpen);
        MenuItem folder = item("Show in folder", () -> selected().stream().findFirst().ifPresent(actions::showInFolder),
                QueueActions::canOpen);
        MenuItem top = item("Move to top", () -> actions.moveToTop(selected()), r -> true);
        MenuItem up = item("Move up", () -> actions.moveUp(selected()), r -> true);
        MenuItem down = item("Move down", () -> actions.moveDown(selected()), r -> true);
        MenuItem bottom = item("Move to bottom", () -> actions.moveToBottom(selected()), r -> true);
        return new ContextMenu(pause, resume, retry, cancel, remove, new SeparatorMenuItem(), limit,
                new SeparatorMenuItem(), open, folder, new SeparatorMenuItem(), top, up, down, bottom);
    }

    private MenuItem item(String text, Runnable action, Predicate<TransferRow> enabledFor) {
        MenuItem item = new MenuItem(text);
        item.setOnAction(e -> action.run());
        item.disableProperty().bind(noneSelected(enabledFor));
        return item;
    }

    /** The model replaces its rows when the order changes; the selection follows the transfers, not the indexes. */
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
            boolean structural = false;
            while (c.next()) {
                structural |= !c.wasUpdated();
            }
            if (!structural || selectedIds.isEmpty()) {
                return;
            }
            restoringSelection = true;
            try {
                List<Long> keep = new ArrayList<>(selectedIds);
                table.getSelectionModel().clearSelection();
                for (long id : keep) {
                    TransferRow r = model.row(id);
                    if (r != null) {
                        table.getSelectionModel().select(r);
                    }
                }
                selectedIds.retainAll(keep.stream().filter(id -> model.row(id) != null).toList());
            } finally {
                restoringSelection = false;
            }
        });
    }
}
