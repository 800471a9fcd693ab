package dev.ferry.app.connections;

import java.util.concurrent.Executor;

import javafx.scene.Scene;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.ferry.profiles.ProfileConnector;

/**
 * The window for managing connections. {@code new ConnectionsDialog(connector).show(owner)} opens it
 * over the main window; {@link #setOnChanged(Runnable)} tells the main window when profiles changed.
 */
public final class ConnectionsDialog {
    private final ConnectionsPane pane;
    private Stage stage;

    /** Tests connections on daemon threads of their own. */
    public ConnectionsDialog(ProfileConnector connector) {
        this(connector, new BackgroundThreads("ferry-connection-test"));
    }

    /** @param background runs connection tests, which block on the network */
    public ConnectionsDialog(ProfileConnector connector, Executor background) {
        this.pane = new ConnectionsPane(connector, background);
    }

    public void setOnChanged(Runnable onChanged) {
        pane.setOnChanged(onChanged);
    }

    public ConnectionsPane pane() {
        return pane;
    }

    /** Shows the window, modal over {@code owner} (which may be null), and returns at once. */
    public Stage show(Window owner) {
        if (stage == null) {
            stage = new Stage();
            stage.setTitle("Connections");
            if (owner != null) {
                stage.initOwner(owner);
                stage.initModality(Modality.WINDOW_MODAL);
            }
            stage.setScene(new Scene(pane, 900, 560));
            stage.setOnHidden(e -> pane.stopTests());
        }
        pane.reload();
        stage.show();
        stage.toFront();
        return stage;
    }
}
