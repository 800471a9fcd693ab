package dev.ferry.app.connections;

import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.profiles.StoreKind;

/** One connection in the list: its name, a mark on imported ones, and where it points. */
final class ProfileCell extends ListCell<ConnectionProfile> {
    private final Label name = new Label();
    private final Label origin = new Label("from ~/.aws, read-only");
    private final Label endpoint = new Label();
    private final VBox box = new VBox(2, new HBox(8, name, origin), endpoint);

    ProfileCell() {
        // sized by the list, not by the text: long endpoints are cut short instead of scrolling sideways
        setPrefWidth(0);
        name.setStyle("-fx-font-weight: bold");
        origin.setStyle("-fx-text-fill: #6b6b6b; -fx-font-size: 0.85em; -fx-border-color: #b0b0b0;"
                + " -fx-border-radius: 3; -fx-padding: 0 4 0 4");
        endpoint.setStyle("-fx-text-fill: #6b6b6b; -fx-font-size: 0.9em");
    }

    @Override
    protected void updateItem(ConnectionProfile p, boolean empty) {
        super.updateItem(p, empty);
        setText(null);
        if (empty || p == null) {
            setGraphic(null);
            return;
        }
        name.setText(p.name());
        origin.setVisible(!p.editable());
        origin.setManaged(!p.editable());
        endpoint.setText((p.kind() == StoreKind.TOS ? "TOS  ·  " : "") + p.endpoint() + "  ·  " + p.region() + "  ·  "
                + p.accessKeyId());
        setGraphic(box);
    }
}
