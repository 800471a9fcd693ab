package dev.ferry.app.browser;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import javafx.application.Platform;
import javafx.scene.input.ClipboardContent;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

import dev.ferry.app.AppContext;
import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.profiles.ConnectionProfile;
import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;

/**
 * What the browser does with its selected rows: download them into a chosen folder, copy them to a bucket and
 * prefix of the same connection, or carry them in a drag. The queue's Intake does the queueing (folders are
 * listed there, in the background) and says what it did in one line.
 */
final class SelectionActions {
    private final AppContext context;
    private final Supplier<ConnectionProfile> connection;
    private final Supplier<List<Entry>> selection;
    private final Supplier<Location> at;
    private final Supplier<Window> window;
    private final Consumer<String> status;
    private final Consumer<String> report;
    private Function<Window, Optional<Path>> folderChooser = this::chooseFolder;

    /**
     * @param status the browser's own status line
     * @param report also receives Intake's summaries (the main window's status bar)
     */
    SelectionActions(AppContext context, Supplier<ConnectionProfile> connection, Supplier<List<Entry>> selection,
                     Supplier<Location> at, Supplier<Window> window, Consumer<String> status,
                     Consumer<String> report) {
        this.context = context;
        this.connection = connection;
        this.selection = selection;
        this.at = at;
        this.window = window;
        this.status = status;
        this.report = report;
    }

    void setFolderChooser(Function<Window, Optional<Path>> chooser) {
        this.folderChooser = chooser;
    }

    /** Asks for a folder and queues the selected objects and folders to be downloaded into it. */
    void download() {
        Picked picked = Picked.of(selection.get());
        ConnectionProfile profile = connection.get();
        if (picked.isEmpty() || profile == null) {
            status.accept("Select objects or folders to download");
            return;
        }
        Optional<Path> folder = folderChooser.apply(window.get());
        if (folder.isEmpty()) {
            return;
        }
        status.accept("Queueing " + picked.describe() + " into " + folder.get() + "…");
        context.intake().download(profile.id(), picked.objects(), picked.folders(), folder.get(), this::queued);
    }

    /** Asks for a bucket and prefix on this connection and queues server-side copies of the selection there. */
    void copyTo() {
        Picked picked = Picked.of(selection.get());
        ConnectionProfile profile = connection.get();
        if (picked.isEmpty() || profile == null) {
            status.accept("Select objects or folders to copy");
            return;
        }
        CopyDialog dialog = new CopyDialog(window.get(), profile.name(), picked, at.get().prefix());
        listBucketsFor(dialog, profile);
        dialog.showAndWait().ifPresent(target -> {
            status.accept("Queueing copies of " + picked.describe() + " to " + target.bucket() + "/"
                    + target.prefix() + "…");
            context.intake().copy(profile.id(), picked.objects(), picked.folders(), target.bucket(),
                    target.prefix(), target.replace(), this::queued);
        });
    }

    /** What dragging {@code rows} carries: our own format for the queue, s3:// or tos:// links for anything else. */
    ClipboardContent dragContent(List<Entry> rows) {
        ConnectionProfile profile = connection.get();
        Picked picked = Picked.of(rows);
        if (profile == null || picked.isEmpty()) {
            return null;
        }
        ObjectDrag drag = picked.drag(profile.id());
        ClipboardContent content = new ClipboardContent();
        content.put(ObjectDrag.FORMAT, drag.encode());
        content.putString(drag.asLinks(profile.kind().scheme()));
        return content;
    }

    private void listBucketsFor(CopyDialog dialog, ConnectionProfile profile) {
        try {
            context.background().execute(() -> {
                try {
                    List<String> names = new ArrayList<>();
                    for (BucketSummary b : context.stores().store(profile.id()).listBuckets(new CancelSignal())) {
                        names.add(b.name());
                    }
                    Platform.runLater(() -> dialog.bucketsListed(names));
                } catch (Exception e) {
                    String why = "Cannot list buckets: " + Problems.reason(e, profile, Location.BUCKETS);
                    Platform.runLater(() -> dialog.bucketsFailed(why));
                }
            });
        } catch (RuntimeException e) { // the pool is shut down: the app is closing
            dialog.bucketsFailed("Cannot list buckets now");
        }
    }

    /** Intake's one-line summary, from whichever thread it comes. */
    private void queued(String message) {
        Runnable show = () -> {
            status.accept(message);
            report.accept(message);
            context.model().refresh();
        };
        if (Platform.isFxApplicationThread()) {
            show.run();
        } else {
            Platform.runLater(show);
        }
    }

    private Optional<Path> chooseFolder(Window owner) {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Download into");
        File start = new File(context.settings().get().downloadFolder());
        if (start.isDirectory()) {
            chooser.setInitialDirectory(start);
        }
        return Optional.ofNullable(chooser.showDialog(owner)).map(File::toPath);
    }
}
