package dev.ferry.app.ui;

import java.util.Optional;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Window;

/** The few standard dialogs the app asks with; each owned by the window it is about. */
public final class Dialogs {
    private Dialogs() {
    }

    /** Asks a yes/no question; true when {@code action} was chosen. */
    public static boolean confirm(Node owner, String title, String text, String action) {
        ButtonType yes = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        ButtonType no = new ButtonType("Keep", ButtonBar.ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, text, yes, no);
        alert.setTitle(title);
        alert.setHeaderText(title);
        own(alert, owner);
        return alert.showAndWait().filter(yes::equals).isPresent();
    }

    public static Optional<String> ask(Node owner, String title, String text, String initial) {
        TextInputDialog dialog = new TextInputDialog(initial);
        dialog.setTitle(title);
        dialog.setHeaderText(title);
        dialog.setContentText(text);
        own(dialog, owner);
        return dialog.showAndWait();
    }

    public static void inform(Node owner, String title, String text) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        alert.setTitle(title);
        alert.setHeaderText(title);
        own(alert, owner);
        alert.showAndWait();
    }

    private static void own(javafx.scene.control.Dialog<?> dialog, Node owner) {
        Window w = owner == null || owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w != null) {
            dialog.initOwner(w);
        }
    }
}
