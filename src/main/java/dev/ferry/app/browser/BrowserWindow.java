package dev.ferry.app.browser;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

import dev.ferry.app.AppContext;

/**
 * The Browse window: a connection's buckets, folders and objects, from which a person downloads or copies the
 * selection, or drags it onto the queue. Not modal, so rows can be dragged to the main window; create and use
 * it on the FX thread.
 *
 * <pre>{@code
 * BrowserWindow browser = new BrowserWindow(context, mainStage, window::status);
 * browser.show();
 * }</pre>
 */
public final class BrowserWindow {
    private final Stage stage = new Stage();
    private final BrowserPane pane;

    /**
     * @param owner  the main window (may be null)
     * @param status receives the one-line summary of what Download… and Copy to… queued, for the main window's
     *               status bar; called on the FX thread
     */
    public BrowserWindow(AppContext context, Window owner, Consumer<String> status) {
        this.pane = new BrowserPane(context, status);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.titleProperty().bind(Bindings.createStringBinding(() -> pane.connectionProperty().get() == null
                ? "Browse" : "Browse — " + pane.connectionProperty().get().name(), pane.connectionProperty()));
        stage.setScene(new Scene(pane.root(), 980, 620));
        stage.setMinWidth(560);
        stage.setMinHeight(320);
        // a connection added in the main window shows up when the person comes back here
        stage.focusedProperty().addListener((o, was, is) -> {
            if (is) {
                pane.reloadConnections();
            }
        });
        stage.setOnHidden(e -> pane.stop());
    }

    /** Shows the window (again), listing the chosen connection's buckets on first show, and brings it to front. */
    public void show() {
        pane.reloadConnections();
        pane.resume();
        stage.show();
        stage.toFront();
    }

    /** Replaces the folder question of Download… (a DirectoryChooser at the download folder by default). */
    public void setFolderChooser(Function<Window, Optional<Path>> chooser) {
        pane.setFolderChooser(chooser);
    }

    public Stage stage() {
        return stage;
    }

    public BrowserPane pane() {
        return pane;
    }
}
