package dev.ferry.app.browser;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.TransferMode;

import dev.ferry.app.queue.Formats;

/**
 * The rows of one location: buckets, or folders then objects, with size and date; filtered by name as a person
 * types, sorted by any column with folders always first. Double-click or Enter opens a bucket or folder; the
 * selected rows can be dragged out.
 */
final class EntryTable {
    private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER);

    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final FilteredList<Entry> filtered = new FilteredList<>(entries);
    private final SortedList<Entry> sorted = new SortedList<>(filtered);
    private final TableView<Entry> table = new TableView<>(sorted);
    private final Label placeholder = new Label();
    private Consumer<Entry> onOpen = e -> { };
    private Function<List<Entry>, ClipboardContent> dragContent = rows -> null;

    EntryTable() {
        table.setId("browser-table");
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        placeholder.setId("browser-placeholder");
        placeholder.setWrapText(true);
        placeholder.setStyle("-fx-text-alignment: center; -fx-opacity: 0.75; -fx-padding: 12;");
        table.setPlaceholder(placeholder);
        addColumns();
        // the sorted list does the sorting, always keeping buckets and folders above objects
        sorted.comparatorProperty().bind(Bindings.createObjectBinding(
                () -> containersFirst(table.getComparator()), table.comparatorProperty()));
        table.setSortPolicy(t -> true);
        table.setRowFactory(t -> row());
        table.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItems().size() == 1) {
                Entry focused = table.getSelectionModel().getSelectedItem();
                if (focused != null && focused.opens()) {
                    onOpen.accept(focused);
                    e.consume();
                }
            }
        });
    }

    TableView<Entry> table() {
        return table;
    }

    void setOnOpen(Consumer<Entry> onOpen) {
        this.onOpen = onOpen;
    }

    /** What a drag of the given rows carries. */
    void setDragContent(Function<List<Entry>, ClipboardContent> dragContent) {
        this.dragContent = dragContent;
    }

    /** Replaces the rows, keeping the scroll at the top. */
    void show(List<Entry> rows) {
        table.getSelectionModel().clearSelection();
        entries.setAll(rows);
        if (!sorted.isEmpty()) {
            table.scrollTo(0);
        }
    }

    /** Adds the rows of a further page, skipping any the server already gave. */
    void append(List<Entry> rows) {
        Set<Entry> known = new HashSet<>(entries);
        List<Entry> fresh = new ArrayList<>();
        for (Entry e : rows) {
            if (known.add(e)) {
                fresh.add(e);
            }
        }
        entries.addAll(fresh);
    }

    /** Shows only rows whose name contains {@code text}, ignoring case; blank shows all. */
    void filter(String text) {
        String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        filtered.setPredicate(needle.isEmpty() ? null : e -> e.name().toLowerCase(Locale.ROOT).contains(needle));
    }

    void placeholder(String text) {
        placeholder.setText(text);
    }

    /** Every loaded row, filtered or not. */
    List<Entry> loaded() {
        return List.copyOf(entries);
    }

    /** The rows shown, in their shown order. */
    List<Entry> shown() {
        return List.copyOf(sorted);
    }

    List<Entry> selected() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : table.getSelectionModel().getSelectedItems()) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Selects the shown row called {@code name} (e.g. the folder a person just came up from). */
    void select(String name) {
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(name)) {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(i);
                return;
            }
        }
    }

    private static Comparator<Entry> containersFirst(Comparator<Entry> byColumn) {
        return Comparator.comparing((Entry e) -> e.kind() == Entry.Kind.OBJECT)
                .thenComparing(byColumn == null ? BY_NAME : byColumn);
    }

    private void addColumns() {
        TableColumn<Entry, Entry> name = new TableColumn<>("Name");
        name.setId("col-name");
        name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        name.setComparator(BY_NAME);
        name.setPrefWidth(420);
        name.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Entry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : e.name());
                setGraphic(empty || e == null ? null : Icons.forKind(e.kind()));
            }
        });

        TableColumn<Entry, Long> size = new TableColumn<>("Size");
        size.setId("col-size");
        size.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().size()));
        size.setPrefWidth(110);
        size.setCellFactory(c -> text(Formats::size, "-fx-alignment: center-right;"));

        TableColumn<Entry, Instant> modified = new TableColumn<>("Last modified");
        modified.setId("col-modified");
        modified.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().lastModified()));
        modified.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        modified.setPrefWidth(160);
        modified.setCellFactory(c -> text(Dates::format, ""));

        table.getColumns().setAll(List.of(name, size, modified));
    }

    private static <T> TableCell<Entry, T> text(Function<T, String> format, String style) {
        TableCell<Entry, T> cell = new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        };
        cell.setStyle(style);
        return cell;
    }

    private TableRow<Entry> row() {
        TableRow<Entry> row = new TableRow<>();
        row.setOnMouseClicked(e -> {
            // even counts too: a quick second double-click on the first row of the folder just opened counts on
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() % 2 == 0 && !row.isEmpty()
                    && row.getItem().opens()) {
                onOpen.accept(row.getItem());
                e.consume();
            }
        });
        row.setOnDragDetected(e -> {
            if (row.isEmpty()) {
                return;
            }
            if (!table.getSelectionModel().getSelectedItems().contains(row.getItem())) {
                table.getSelectionModel().clearAndSelect(row.getIndex());
            }
            ClipboardContent content = dragContent.apply(selected());
            if (content != null) {
                Dragboard board = row.startDragAndDrop(TransferMode.COPY);
                board.setContent(content);
                board.setDragView(row.snapshot(null, null));
            }
            e.consume();
        });
        return row;
    }
}
