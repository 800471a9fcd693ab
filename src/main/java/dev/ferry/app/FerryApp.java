package dev.ferry.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import dev.ferry.app.browser.BrowserWindow;
import dev.ferry.app.connections.ConnectionsDialog;
import dev.ferry.app.instance.InstanceServer;
import dev.ferry.app.settings.SettingsDialog;
import dev.ferry.profiles.StoreKind;
import dev.ferry.transfer.checkpoint.FerryHome;

/** The desktop app: one main window over the transfer queue. */
public final class FerryApp extends Application {
    /** Where later starts of Ferry hand their links, or null when the app runs without one (tests). */
    private static volatile InstanceServer instance;
    private AppContext context;
    private MainWindow window;

    /**
     * Starts the app with links to take at once (blocks until its last window closes). {@code server} holds the
     * instance lock; the app serves it once its window can take links, and closes it when it ends.
     */
    public static void launchApp(List<String> links, InstanceServer server) {
        instance = server;
        Application.launch(FerryApp.class, links.toArray(String[]::new));
    }

    @Override
    public void start(Stage stage) {
        AppIcons.follow();
        context = AppContext.open(FerryHome.dir());
        window = createWindow(context, path -> getHostServices().showDocument(path.toUri().toString()));
        stage.setTitle("Ferry");
        stage.setScene(new Scene(window.root()));
        stage.setMinWidth(720);
        stage.setMinHeight(420);
        WindowPlacement.restore(stage, context.settings().get().window());
        stage.setOnCloseRequest(e -> {
            if (!window.confirmQuit()) {
                e.consume();
                return;
            }
            context.settings().set(context.settings().get().withWindow(WindowPlacement.capture(stage)));
        });
        stage.show();
        context.startTransfers();
        context.model().start();
        List<String> links = getParameters().getRaw();
        if (!links.isEmpty()) {
            window.take(String.join("\n", links));
        }
        InstanceServer server = instance;
        if (server != null) {
            try {
                server.serve(handOver(stage, window));
            } catch (IOException e) {
                window.status("Links opened with Ferry cannot reach this window: " + e.getMessage());
            }
        }
    }

    /**
     * What the app does with links a later start of Ferry hands it (on the instance server's thread): brings its
     * window forward and takes them.
     */
    static Consumer<List<String>> handOver(Stage stage, MainWindow window) {
        return links -> Platform.runLater(() -> {
            if (stage.isIconified()) {
                stage.setIconified(false);
            }
            stage.show();
            stage.toFront();
            stage.requestFocus();
            if (!links.isEmpty()) {
                window.take(String.join("\n", links));
            }
        });
    }

    /** The main window wired to a context: toolbar actions, settings, connections. */
    static MainWindow createWindow(AppContext context, java.util.function.Consumer<Path> opener) {
        MainWindow window = new MainWindow(context.model(), context.intake(), context.settings(),
                (StoreKind kind) -> context.linkConnection(kind), opener);
        window.setOnSettings(() -> new SettingsDialog(window.root().getScene().getWindow(), context.settings().get(),
                context.stores().profiles()).showAndWait().ifPresent(s -> {
                    context.settings().set(s);
                    context.service().setMaxConcurrent(s.maxConcurrent());
                    window.status("Settings saved");
                }));
        window.setOnConnections(() -> {
            ConnectionsDialog dialog = new ConnectionsDialog(context.stores().connector(), context.background());
            dialog.setOnChanged(context.stores()::invalidate);
            dialog.show(window.root().getScene().getWindow());
        });
        BrowserWindow[] browser = {null};
        window.setOnBrowse(() -> {
            if (browser[0] == null) {
                browser[0] = new BrowserWindow(context, window.root().getScene().getWindow(), window::status);
            }
            browser[0].show();
        });
        List<String> problems = context.loadProblems();
        if (!problems.isEmpty()) {
            window.status(problems.get(0));
        }
        return window;
    }

    @Override
    public void stop() {
        InstanceServer server = instance;
        if (server != null) {
            server.close();
        }
        if (context != null) {
            context.model().stop();
            context.close();
        }
        Platform.exit();
    }
}
