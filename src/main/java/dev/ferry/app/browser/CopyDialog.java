package dev.ferry.app.browser;

import java.util.List;
import java.util.Optional;

import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

/**
 * Asks where to copy the picked rows: a bucket of the same connection (listed in the background, or typed when
 * the keys may not list buckets) and a prefix. Says what is wrong, copying onto itself included, and only lets
 * a valid target through.
 */
final class CopyDialog extends Dialog<CopyTarget> {
    static final ButtonType COPY = new ButtonType("Copy", ButtonBar.ButtonData.OK_DONE);

    private final Picked picked;
    private final ComboBox<String> bucket = new ComboBox<>();
    private final TextField prefix = new TextField();
    private final CheckBox replace = new CheckBox("Replace objects already there");
    private final Label problem = new Label();
    private final Label bucketsNote = new Label("Listing buckets…");

    CopyDialog(Window owner, String connectionName, Picked picked, String initialPrefix) {
        this.picked = picked;
        if (owner != null) {
            initOwner(owner);
        }
        setTitle("Copy to");
        setHeaderText("Copy " + picked.describe() + " to another place on " + connectionName);
        getDialogPane().setId("copy-dialog");
        getDialogPane().getButtonTypes().setAll(COPY, ButtonType.CANCEL);
        getDialogPane().setContent(form(initialPrefix));
        Node ok = getDialogPane().lookupButton(COPY);
        ok.setId("copy-ok");
        bucket.getEditor().textProperty().addListener((o, was, is) -> validate());
        prefix.textProperty().addListener((o, was, is) -> validate());
        validate();
        setResultConverter(b -> b == COPY ? target() : null);
    }

    private GridPane form(String initialPrefix) {
        bucket.setId("copy-bucket");
        bucket.setEditable(true);
        bucket.setPromptText("Choose or type a bucket");
        bucket.setMaxWidth(Double.MAX_VALUE);
        prefix.setId("copy-prefix");
        prefix.setText(initialPrefix);
        prefix.setPromptText("folder/inside/ (empty for the top of the bucket)");
        replace.setId("copy-replace");
        replace.setWrapText(true); // off: a copy onto an existing object fails, and its row offers to replace
        problem.setId("copy-problem");
        problem.setWrapText(true);
        problem.setStyle("-fx-text-fill: #b00020;");
        bucketsNote.setId("copy-buckets-note");
        bucketsNote.setWrapText(true);
        bucketsNote.setStyle("-fx-opacity: 0.7;");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Bucket:"), bucket);
        grid.add(bucketsNote, 1, 1);
        grid.addRow(2, new Label("Prefix:"), prefix);
        grid.add(replace, 1, 3);
        grid.add(problem, 0, 4, 2, 1);
        GridPane.setHgrow(bucket, Priority.ALWAYS);
        GridPane.setHgrow(prefix, Priority.ALWAYS);
        grid.setPrefWidth(480);
        return grid;
    }

    /** The connection's buckets arrived. */
    void bucketsListed(List<String> names) {
        String typed = bucket.getEditor().getText();
        bucket.getItems().setAll(names);
        bucket.getEditor().setText(typed);
        bucketsNote.setText(names.isEmpty() ? "No buckets listed; type the bucket's name" : "");
    }

    /** The buckets could not be listed; a person can still type a name. */
    void bucketsFailed(String why) {
        bucketsNote.setText(why + "; type the bucket's name");
    }

    ComboBox<String> bucketField() {
        return bucket;
    }

    TextField prefixField() {
        return prefix;
    }

    String problemText() {
        return problem.getText();
    }

    private CopyTarget target() {
        String typed = bucket.getEditor().getText();
        return new CopyTarget(typed == null || typed.isBlank() ? bucket.getValue() : typed, prefix.getText(),
                replace.isSelected());
    }

    private void validate() {
        Optional<String> why = target().problem(picked);
        problem.setText(why.orElse(""));
        getDialogPane().lookupButton(COPY).setDisable(why.isPresent());
    }
}
