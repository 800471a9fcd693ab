package dev.ferry.app;

import java.nio.file.Path;
import java.util.List;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

import dev.ferry.app.browser.BrowserWindow;
import dev.ferry.app.connections.ConnectionsDialog;
import dev.ferry.app.settings.SettingsDialog;
import dev.ferry.profiles.StoreKind;
import dev.ferry.transfer.checkpoint.FerryHome;

/** The desktop app: one main window over the transfer queue. */
public final class FerryApp extends Application {
    private AppContext context;
    private MainWindow window;

    /** Starts the app (blocks until its last window closes). */
    public static void launchApp(String[] args) {
        Application.launch(FerryApp.class, args);
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
        if (context != null) {
            context.model().stop();
            context.close();
        }
        Platform.exit();
    }
}
