package dev.ferry.app.connections;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ConnectionTest;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.storage.CancelSignal;

/**
 * The connections window's content: every profile (saved ones, then those read from ~/.aws, marked),
 * with Add, Edit, Remove (after asking) and Test, and the editor beside the list. Used on the FX thread;
 * file reads and writes are small and done there, connection tests run on the background executor.
 */
public final class ConnectionsPane extends BorderPane {
    private final ProfileConnector connector;
    private final Executor background;
    private final ObservableList<ConnectionProfile> profiles = FXCollections.observableArrayList();
    private final ListView<ConnectionProfile> list = new ListView<>(profiles);
    private final ProfileForm form;
    private final Label placeholder = new Label("Choose a connection, or add one.");
    private final StackPane editorArea = new StackPane(placeholder);
    private final Label status = new Label();
    private Runnable onChanged = () -> { };
    private CancelSignal runningTest;

    public ConnectionsPane(ProfileConnector connector, Executor background) {
        this.connector = connector;
        this.background = background;
        this.form = new ProfileForm(connector.store(), background);
        form.setOnSaved(this::saved);
        form.setOnClosed(this::closeEditor);
        list.setId("profiles");
        list.setCellFactory(v -> new ProfileCell());
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                edit();
            }
        });
        status.setId("listStatus");
        status.setWrapText(true);
        Label footer = new Label("Secret keys are kept " + connector.store().secretStore().describe() + ".");
        footer.setId("secretsFooter");
        footer.setWrapText(true);
        footer.setStyle("-fx-text-fill: #6b6b6b; -fx-font-size: 0.9em");
        VBox left = new VBox(8, list, buttons(), status);
        VBox.setVgrow(list, Priority.ALWAYS);
        // a fixed width, so a long status message wraps instead of pushing the editor aside
        left.setPrefWidth(360);
        left.setMinWidth(VBox.USE_PREF_SIZE);
        left.setPadding(new Insets(12));
        setLeft(left);
        setCenter(editorArea);
        setBottom(footer);
        BorderPane.setMargin(footer, new Insets(0, 12, 12, 12));
        reload();
    }

    private HBox buttons() {
        BooleanBinding none = list.getSelectionModel().selectedItemProperty().isNull();
        BooleanBinding readOnly = Bindings.createBooleanBinding(
                () -> selected().map(p -> !p.editable()).orElse(true),
                list.getSelectionModel().selectedItemProperty());
        Button add = button("add", "Add", this::add);
        Button edit = button("edit", "Edit", this::edit);
        edit.disableProperty().bind(readOnly);
        Button remove = button("remove", "Remove", this::remove);
        remove.disableProperty().bind(readOnly);
        Button test = button("test", "Test", this::testSelected);
        test.disableProperty().bind(none);
        return new HBox(8, add, edit, remove, test);
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Runs after a profile was added, changed or removed (the main window refreshes its own lists). */
    public void setOnChanged(Runnable onChanged) {
        this.onChanged = onChanged;
    }

    /** The listed profiles, read-only. */
    public ObservableList<ConnectionProfile> profiles() {
        return FXCollections.unmodifiableObservableList(profiles);
    }

    /** Reads the profiles again, keeping the selection where it can. */
    public void reload() {
        String selectedId = selected().map(ConnectionProfile::id).orElse(null);
        List<ConnectionProfile> all = new ArrayList<>();
        String problem = "";
        try {
            all.addAll(connector.store().list());
        } catch (IOException e) {
            problem = e.getMessage();
        }
        all.addAll(connector.aws().list());
        profiles.setAll(all);
        showStatus(problem, !problem.isEmpty());
        all.stream().filter(p -> p.id().equals(selectedId)).findFirst()
                .ifPresent(p -> list.getSelectionModel().select(p));
    }

    private Optional<ConnectionProfile> selected() {
        return Optional.ofNullable(list.getSelectionModel().getSelectedItem());
    }

    private void add() {
        openEditor(null);
    }

    private void edit() {
        selected().filter(ConnectionProfile::editable).ifPresent(this::openEditor);
    }

    private void openEditor(ConnectionProfile p) {
        form.start(p);
        editorArea.getChildren().setAll(form);
    }

    private void closeEditor() {
        editorArea.getChildren().setAll(placeholder);
    }

    private void saved(ConnectionProfile p) {
        closeEditor();
        reload();
        profiles.stream().filter(q -> q.id().equals(p.id())).findFirst()
                .ifPresent(q -> list.getSelectionModel().select(q));
        showStatus("Saved " + p.name() + ".", false);
        onChanged.run();
    }

    private void remove() {
        Optional<ConnectionProfile> target = selected().filter(ConnectionProfile::editable);
        if (target.isEmpty() || !confirmRemove(target.get())) {
            return;
        }
        ConnectionProfile p = target.get();
        try {
            connector.store().remove(p.id());
        } catch (IOException e) {
            showStatus("Not removed: " + e.getMessage(), true);
            return;
        }
        if (form.editing() != null && form.editing().id().equals(p.id())) {
            form.stopTest();
            closeEditor();
        }
        reload();
        showStatus("Removed " + p.name() + ".", false);
        onChanged.run();
    }

    private boolean confirmRemove(ConnectionProfile p) {
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION,
                "Remove the connection “" + p.name() + "”? Its stored secret key is deleted too.",
                ButtonType.OK, ButtonType.CANCEL);
        ask.setTitle("Remove connection");
        ask.setHeaderText(null);
        if (getScene() != null) {
            ask.initOwner(getScene().getWindow());
        }
        return ask.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    private void testSelected() {
        Optional<ConnectionProfile> target = selected();
        if (target.isEmpty()) {
            return;
        }
        if (runningTest != null) {
            runningTest.cancel();
        }
        CancelSignal cancel = new CancelSignal();
        runningTest = cancel;
        showTestResult(status, null);
        ConnectionProfile p = target.get();
        background.execute(() -> {
            ConnectionTest result = connector.test(p, cancel);
            Platform.runLater(() -> {
                if (runningTest == cancel) {
                    runningTest = null;
                    showTestResult(status, new ConnectionTest(result.ok(), p.name() + ": " + result.message()));
                }
            });
        });
    }

    /** Stops a test still running (the window is closing). */
    void stopTests() {
        if (runningTest != null) {
            runningTest.cancel();
            runningTest = null;
        }
        form.stopTest();
    }

    private void showStatus(String text, boolean error) {
        status.setText(text);
        status.setStyle(error ? "-fx-text-fill: #b00020" : "");
    }

    /** Shows a test's outcome in a label: "Testing…" while {@code result} is null, then green or red. */
    static void showTestResult(Label label, ConnectionTest result) {
        if (result == null) {
            label.setText("Testing…");
            label.setStyle("");
        } else {
            label.setText((result.ok() ? "✔ " : "✖ ") + result.message());
            label.setStyle(result.ok() ? "-fx-text-fill: #1b7f3b" : "-fx-text-fill: #b00020");
        }
    }
}
