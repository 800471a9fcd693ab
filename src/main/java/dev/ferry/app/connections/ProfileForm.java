package dev.ferry.app.connections;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.ConnectionTest;
import dev.ferry.profiles.InvalidProfileException;
import dev.ferry.profiles.ProfileConnector;
import dev.ferry.profiles.ProfileStore;
import dev.ferry.profiles.ResolvedProfile;
import dev.ferry.storage.CancelSignal;

/**
 * Adds or edits one saved profile. Save and Test check the fields first and show what is wrong under
 * each; Test runs on the background executor and shows its outcome here. Used on the FX thread only.
 */
final class ProfileForm extends VBox {
    private final ProfileStore store;
    private final Executor background;
    private final ProfileFields fields = new ProfileFields();
    private final Label title = new Label();
    private final Label testResult = new Label();
    private final Label formError = new Label();
    private final Button test = new Button("Test");
    private ConnectionProfile editing;
    private CancelSignal runningTest;
    private Consumer<ConnectionProfile> onSaved = p -> { };
    private Runnable onClosed = () -> { };

    ProfileForm(ProfileStore store, Executor background) {
        this.store = store;
        this.background = background;
        setSpacing(10);
        setPadding(new Insets(12));
        title.setStyle("-fx-font-size: 1.2em; -fx-font-weight: bold");
        testResult.setId("testResult");
        testResult.setWrapText(true);
        formError.setId("formError");
        formError.setWrapText(true);
        formError.setStyle("-fx-text-fill: #b00020");
        getChildren().addAll(title, fields, testResult, formError, buttons());
    }

    private HBox buttons() {
        test.setId("testForm");
        test.setOnAction(e -> runTest());
        Button cancel = new Button("Cancel");
        cancel.setId("cancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> close());
        Button save = new Button("Save");
        save.setId("save");
        save.setDefaultButton(true);
        save.setOnAction(e -> save());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox row = new HBox(8, test, gap, cancel, save);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    void setOnSaved(Consumer<ConnectionProfile> onSaved) {
        this.onSaved = onSaved;
    }

    void setOnClosed(Runnable onClosed) {
        this.onClosed = onClosed;
    }

    /** Starts a new profile ({@code p == null}) or editing the saved profile {@code p}. */
    void start(ConnectionProfile p) {
        stopTest();
        editing = p;
        title.setText(p == null ? "New connection" : "Edit " + p.name());
        fields.load(p);
        testResult.setText("");
        formError.setText("");
        fields.name.requestFocus();
    }

    ConnectionProfile editing() {
        return editing;
    }

    ProfileFields fields() {
        return fields;
    }

    private void save() {
        formError.setText("");
        try {
            ConnectionProfile saved = editing == null ? store.add(fields.draft())
                    : store.update(editing.id(), fields.draft());
            fields.showProblems(List.of());
            stopTest();
            onSaved.accept(saved);
        } catch (InvalidProfileException e) {
            fields.showProblems(e.problems());
        } catch (IOException | RuntimeException e) {
            formError.setText("Not saved: " + e.getMessage());
        }
    }

    private void runTest() {
        formError.setText("");
        ResolvedProfile resolved;
        try {
            resolved = store.preview(editing == null ? null : editing.id(), fields.draft());
            fields.showProblems(List.of());
        } catch (InvalidProfileException e) {
            fields.showProblems(e.problems());
            testResult.setText("");
            return;
        } catch (IOException | RuntimeException e) {
            formError.setText("Cannot test: " + e.getMessage());
            return;
        }
        stopTest();
        CancelSignal cancel = new CancelSignal();
        runningTest = cancel;
        showResult(null);
        test.setDisable(true);
        background.execute(() -> {
            ConnectionTest result = ProfileConnector.test(resolved, cancel);
            Platform.runLater(() -> {
                if (runningTest == cancel) {
                    runningTest = null;
                    test.setDisable(false);
                    showResult(result);
                }
            });
        });
    }

    private void showResult(ConnectionTest result) {
        ConnectionsPane.showTestResult(testResult, result);
    }

    /** Forgets a test still running; its outcome no longer belongs to what the fields show. */
    void stopTest() {
        if (runningTest != null) {
            runningTest.cancel();
            runningTest = null;
        }
        test.setDisable(false);
    }

    private void close() {
        stopTest();
        onClosed.run();
    }
}
