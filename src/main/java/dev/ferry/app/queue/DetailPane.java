package dev.ferry.app.queue;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import dev.ferry.transfer.queue.LogEntry;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * The selected transfer in detail: where from and to, its checkpoint, a part map, its speed over the last
 * minute and its event log (part events, retries and their reasons, resume decisions).
 */
public final class DetailPane {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final QueueModel model;
    private final TransferService service;
    private final Label source = value("detail-source");
    private final Label destination = value("detail-destination");
    private final Label checkpoint = value("detail-checkpoint");
    private final Label parts = value("detail-parts");
    private final TextField limit = new TextField();
    private final QueueActions actions;
    private final PartMap partMap = new PartMap();
    private final XYChart.Series<Number, Number> speed = new XYChart.Series<>();
    private final ObservableList<LogEntry> log = FXCollections.observableArrayList();
    private final ListView<LogEntry> logView = new ListView<>(log);
    private final TabPane root;
    private TransferRow shown;

    public DetailPane(QueueModel model, QueueActions actions) {
        this.model = model;
        this.actions = actions;
        this.service = model.service();
        GridPane facts = new GridPane();
        facts.setHgap(10);
        facts.setVgap(4);
        facts.setPadding(new Insets(8));
        ColumnConstraints labels = new ColumnConstraints();
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        facts.getColumnConstraints().addAll(labels, values);
        facts.addRow(0, new Label("Source"), source);
        facts.addRow(1, new Label("Destination"), destination);
        facts.addRow(2, new Label("Checkpoint"), checkpoint);
        facts.addRow(3, new Label("Parts"), parts);
        limit.setId("detail-limit");
        limit.setPromptText("none (e.g. 2 MiB/s)");
        limit.setPrefColumnCount(12);
        limit.setOnAction(e -> applyLimit());
        limit.focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                applyLimit();
            }
        });
        Button apply = new Button("Set");
        apply.setId("detail-limit-set");
        apply.setOnAction(e -> applyLimit());
        HBox limitRow = new HBox(6, limit, apply);
        facts.addRow(4, new Label("Speed limit"), limitRow);
        VBox overview = new VBox(6, facts, partMap.node());
        overview.setPadding(new Insets(0, 8, 8, 8));

        NumberAxis x = new NumberAxis(-QueueModel.HISTORY_SECONDS, 0, 10);
        x.setLabel("seconds");
        NumberAxis y = new NumberAxis();
        y.setLabel("MiB/s");
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.setId("speed-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        chart.getData().add(speed);

        logView.setId("event-log");
        logView.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LogEntry e, boolean empty) {
                super.updateItem(e, empty);
                setText(empty || e == null ? null : TIME.format(e.time()) + "  " + e.text());
                getStyleClass().remove("problem");
                if (!empty && e != null && e.problem()) {
                    getStyleClass().add("problem");
                }
            }
        });

        root = new TabPane(new Tab("Overview", overview), new Tab("Speed", chart), new Tab("Events", logView));
        root.setId("detail-pane");
        root.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        show(null);
    }

    public Node node() {
        return root;
    }

    /** Shows a transfer (null: none). */
    public void show(TransferRow row) {
        shown = row;
        limit.setText(row == null || row.limitProperty().get() <= 0 ? "" : Formats.limit(row.limitProperty().get()));
        limit.setDisable(row == null);
        refresh();
    }

    private void applyLimit() {
        if (shown == null) {
            return;
        }
        String text = limit.getText() == null ? "" : limit.getText().strip();
        long current = shown.limitProperty().get();
        String currentText = current <= 0 ? "" : Formats.limit(current);
        if (!text.equals(currentText)) {
            actions.setLimit(java.util.List.of(shown), text);
        }
    }

    /** Re-reads the shown transfer; called on the model's tick. */
    public void refresh() {
        if (shown == null || model.row(shown.id()) == null) {
            source.setText("Select a transfer to see its details");
            destination.setText("");
            checkpoint.setText("");
            parts.setText("");
            partMap.show(List.of());
            speed.getData().clear();
            log.clear();
            return;
        }
        TransferSnapshot s = shown.snapshot();
        source.setText(s.source());
        destination.setText(s.destination());
        checkpoint.setText(s.checkpoint() == null ? "(not started yet)" : s.checkpoint().toString());
        parts.setText(s.partsTotal() == 0 ? "" : s.partsDone() + " of " + s.partsTotal() + " done");
        partMap.show(service.parts(s.id()));
        showSpeed(model.history(s.id()));
        List<LogEntry> entries = service.log(s.id());
        if (!entries.equals(log)) {
            log.setAll(entries);
            if (!entries.isEmpty()) {
                logView.scrollTo(entries.size() - 1); // the newest event is what a person looks for
            }
        }
    }

    private void showSpeed(List<Long> samples) {
        ObservableList<XYChart.Data<Number, Number>> points = FXCollections.observableArrayList();
        int n = samples.size();
        for (int i = 0; i < n; i++) {
            points.add(new XYChart.Data<>(i - n + 1, samples.get(i) / (1024.0 * 1024.0)));
        }
        speed.getData().setAll(points);
    }

    private static Label value(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        return l;
    }
}
