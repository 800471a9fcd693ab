package dev.ferry.app.settings;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.transfer.queue.TransferService;

/** Settings a person changes now and then: the download folder, concurrent transfers, the connection for links. */
public final class SettingsDialog extends Dialog<AppSettings> {
    private final TextField folder = new TextField();
    private final Spinner<Integer> concurrent = new Spinner<>(1, TransferService.MAX_CONCURRENT_LIMIT, 3);
    private final ComboBox<ConnectionProfile> connection = new ComboBox<>();
    private final Label problem = new Label();

    public SettingsDialog(Window owner, AppSettings current, List<ConnectionProfile> profiles) {
        setTitle("Settings");
        setHeaderText("Settings");
        if (owner != null) {
            initOwner(owner);
        }
        folder.setId("settings-folder");
        folder.setText(current.downloadFolder());
        folder.setPrefColumnCount(32);
        Button choose = new Button("Choose…");
        choose.setOnAction(e -> chooseFolder());
        concurrent.setId("settings-concurrent");
        concurrent.getValueFactory().setValue(current.maxConcurrent());
        concurrent.setEditable(true);
        connection.setId("settings-connection");
        connection.getItems().setAll(profiles);
        connection.setCellFactory(v -> cell());
        connection.setButtonCell(cell());
        profiles.stream().filter(p -> p.id().equals(current.defaultConnection())).findFirst()
                .ifPresent(connection::setValue);
        connection.setPromptText(profiles.isEmpty() ? "no connections yet" : "the first connection");
        problem.setId("settings-problem");
        problem.setStyle("-fx-text-fill: #b3261e;");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(12));
        HBox folderRow = new HBox(6, folder, choose);
        HBox.setHgrow(folder, Priority.ALWAYS);
        grid.addRow(0, new Label("Download folder"), folderRow);
        grid.addRow(1, new Label("Transfers at once"), concurrent);
        grid.addRow(2, new Label("Connection for links"), connection);
        grid.add(problem, 1, 3);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            Optional<String> why = validate();
            if (why.isPresent()) {
                problem.setText(why.get());
                e.consume();
            }
        });
        setResultConverter(b -> b == ButtonType.OK ? current
                .withDownloadFolder(Path.of(folder.getText().strip()).toAbsolutePath().normalize().toString())
                .withMaxConcurrent(concurrent.getValue())
                .withDefaultConnection(connection.getValue() == null ? null : connection.getValue().id()) : null);
    }

    /** Why the entered settings cannot be used, if they cannot. */
    Optional<String> validate() {
        String text = folder.getText() == null ? "" : folder.getText().strip();
        if (text.isEmpty()) {
            return Optional.of("Choose a download folder");
        }
        Path p;
        try {
            p = Path.of(text);
        } catch (RuntimeException e) {
            return Optional.of("Not a folder path: " + text);
        }
        if (!p.isAbsolute()) {
            return Optional.of("Give the full path of the folder");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            return Optional.of(text + " is a file, not a folder");
        }
        return Optional.empty();
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Download folder");
        File start = new File(folder.getText());
        if (start.isDirectory()) {
            chooser.setInitialDirectory(start);
        }
        File chosen = chooser.showDialog(getDialogPane().getScene().getWindow());
        if (chosen != null) {
            folder.setText(chosen.getAbsolutePath());
        }
    }

    private static ListCell<ConnectionProfile> cell() {
        return new ListCell<>() {
            @Override
            protected void updateItem(ConnectionProfile p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.name());
            }
        };
    }
}
