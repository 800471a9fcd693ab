package dev.ferry.app.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

import javafx.application.Platform;
import javafx.scene.Node;

import dev.ferry.app.ui.Dialogs;
import dev.ferry.cli.Sizes;
import dev.ferry.storage.http.Link;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/**
 * What a person can do to selected transfers, shared by the toolbar, the context menu and the keyboard. Asks
 * before anything that deletes data; reports through {@code status}.
 */
public final class QueueActions {
    private final TransferService service;
    private final QueueModel model;
    private final Node owner;
    private final Consumer<String> status;
    private final Consumer<Path> opener;
    private final Executor background;

    /**
     * @param owner      the node dialogs belong to
     * @param status     shows a one-line message to the person
     * @param opener     opens a file or folder with the desktop's default application
     * @param background where the secret store is written (on Linux each call starts a process, and a locked
     *                   keyring waits for its password): never the FX thread
     */
    public QueueActions(QueueModel model, Node owner, Consumer<String> status, Consumer<Path> opener,
                        Executor background) {
        this.service = model.service();
        this.model = model;
        this.owner = owner;
        this.status = status;
        this.opener = opener;
        this.background = background;
    }

    /** Whether the row is a link download that a fresh link can continue (it failed or is paused). */
    public boolean canUseFreshLink(TransferRow r) {
        return (r.state() == TransferState.FAILED || r.state() == TransferState.PAUSED)
                && model.links().isPresent()
                && service.spec(r.id()).map(s -> LinkBook.isLink(s.connectionId())).orElse(false);
    }

    /** Asks for a fresh link to a link download's file (its link expired) and continues the download from it. */
    public void askFreshLink(TransferRow row) {
        if (!canUseFreshLink(row)) {
            return;
        }
        Dialogs.ask(owner, "Fresh link", "A new link to " + row.nameProperty().get() + ". The download continues "
                        + "where it stopped when the server still has the same file (same ETag and size):", "")
                .ifPresent(text -> useFreshLink(row, text));
    }

    /**
     * Points a link download at {@code text} and queues it again once the secret store holds the fresh link (in the
     * background); a bad link, or a transfer that is not a link download, gets a message instead and false.
     */
    public boolean useFreshLink(TransferRow row, String text) {
        Link fresh;
        try {
            fresh = Link.parse(text);
        } catch (IllegalArgumentException e) {
            status.accept("Not taken: " + e.getMessage());
            return false;
        }
        String id = service.spec(row.id()).map(TransferSpec::connectionId).orElse(null);
        if (!canUseFreshLink(row) || id == null) {
            status.accept("Only a failed or paused link download can take a fresh link");
            return false;
        }
        LinkBook book = model.links().orElseThrow();
        String name = row.nameProperty().get();
        background.execute(() -> {
            try {
                book.replace(id, fresh);
            } catch (IOException e) {
                Platform.runLater(() -> status.accept("The fresh link could not be kept: " + e.getMessage()));
                return;
            }
            service.resume(row.id());
            Platform.runLater(() -> {
                model.refresh();
                status.accept("Continuing " + name + " from " + fresh.display());
            });
        });
        return true;
    }

    /** A removed link download's link leaves the secret store too. */
    private void forgetLink(String connectionId) {
        if (LinkBook.isLink(connectionId)) {
            model.links().ifPresent(book -> background.execute(() -> {
                try {
                    book.forget(connectionId);
                } catch (IOException e) {
                    Platform.runLater(() -> status.accept("The removed download's link could not be forgotten: "
                            + e.getMessage()));
                }
            }));
        }
    }

    public static boolean canPause(TransferRow r) {
        return r.state() == TransferState.QUEUED || isActive(r.state());
    }

    public static boolean canResume(TransferRow r) {
        return r.state() == TransferState.PAUSED || r.state() == TransferState.FAILED;
    }

    public static boolean canRetry(TransferRow r) {
        return r.state() == TransferState.FAILED || r.state() == TransferState.CANCELLED;
    }

    /** A copy that failed because an object is already at its destination. */
    public static boolean canReplace(TransferRow r) {
        return r.snapshot().isCopyOntoExisting();
    }

    public static boolean canCancel(TransferRow r) {
        return r.state() != TransferState.COMPLETED && r.state() != TransferState.CANCELLED;
    }

    public static boolean canOpen(TransferRow r) {
        return r.state() == TransferState.COMPLETED && r.snapshot().kind() == TransferSpec.Kind.DOWNLOAD;
    }

    static boolean isActive(TransferState s) {
        return s == TransferState.CONNECTING || s == TransferState.TRANSFERRING || s == TransferState.VERIFYING;
    }

    public void pause(List<TransferRow> rows) {
        each(rows, QueueActions::canPause, r -> service.pause(r.id()));
        model.refresh();
    }

    public void resume(List<TransferRow> rows) {
        each(rows, QueueActions::canResume, r -> service.resume(r.id()));
        model.refresh();
    }

    /** Space: pauses what runs or waits; when nothing selected does, resumes. */
    public void togglePause(List<TransferRow> rows) {
        if (rows.stream().anyMatch(QueueActions::canPause)) {
            pause(rows);
        } else {
            resume(rows);
        }
    }

    public void retry(List<TransferRow> rows) {
        each(rows, QueueActions::canRetry, r -> service.retry(r.id()));
        model.refresh();
    }

    /** Runs the chosen copies again, replacing the objects already at their destinations, after asking once. */
    public void replace(List<TransferRow> rows) {
        List<TransferRow> chosen = rows.stream().filter(QueueActions::canReplace).toList();
        if (chosen.isEmpty()) {
            return;
        }
        String what = chosen.size() == 1 ? "the object at " + chosen.get(0).snapshot().destination()
                : "the objects at the destinations of " + chosen.size() + " copies";
        if (!Dialogs.confirm(owner, "Replace " + (chosen.size() == 1 ? "the existing object" : "existing objects")
                + "?", "The copy replaces " + what + ". Unless the bucket keeps versions, the object there now is "
                + "gone for good.", "Replace")) {
            return;
        }
        chosen.forEach(r -> service.replaceAndRetry(r.id()));
        model.refresh();
        status.accept("Copying again, replacing " + (chosen.size() == 1 ? "1 object" : chosen.size() + " objects"));
    }

    public void cancel(List<TransferRow> rows) {
        List<TransferRow> chosen = rows.stream().filter(QueueActions::canCancel).toList();
        if (chosen.isEmpty()) {
            return;
        }
        String what = chosen.size() == 1 ? "\"" + chosen.get(0).nameProperty().get() + "\"" : chosen.size() + " transfers";
        if (!Dialogs.confirm(owner, "Cancel " + what + "?",
                "What was transferred so far is deleted: partial downloads are removed and copies' multipart "
                        + "uploads are aborted. Retry starts over.", "Cancel transfer")) {
            return;
        }
        chosen.forEach(r -> service.cancel(r.id()));
        model.refresh();
        status.accept("Cancelled " + what);
    }

    public void remove(List<TransferRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<TransferRow> unfinished = rows.stream().filter(QueueActions::canCancel).toList();
        if (!unfinished.isEmpty() && !Dialogs.confirm(owner, "Remove unfinished transfers?",
                unfinished.size() + (unfinished.size() == 1 ? " transfer has" : " transfers have")
                        + " not completed. Removing stops them and deletes their partial data.", "Remove")) {
            return;
        }
        List<TransferRow> copy = new ArrayList<>(rows);
        copy.forEach(r -> {
            String connection = service.spec(r.id()).map(TransferSpec::connectionId).orElse(null);
            service.remove(r.id());
            forgetLink(connection);
        });
        model.refresh();
        status.accept("Removed " + copy.size() + (copy.size() == 1 ? " transfer" : " transfers") + " from the list");
    }

    public void moveUp(List<TransferRow> rows) {
        sorted(rows, false).forEach(r -> service.move(r.id(), Math.max(0, service.indexOf(r.id()) - 1)));
        model.refresh();
    }

    public void moveDown(List<TransferRow> rows) {
        sorted(rows, true).forEach(r -> service.move(r.id(), service.indexOf(r.id()) + 1));
        model.refresh();
    }

    public void moveToTop(List<TransferRow> rows) {
        List<TransferRow> s = sorted(rows, true);
        s.forEach(r -> service.move(r.id(), 0));
        model.refresh();
    }

    public void moveToBottom(List<TransferRow> rows) {
        sorted(rows, false).forEach(r -> service.move(r.id(), Integer.MAX_VALUE));
        model.refresh();
    }

    /** Moves the dragged transfers to where they were dropped, keeping their order. */
    public void moveTo(List<Long> ids, int index) {
        int target = index;
        for (long id : ids) {
            int from = service.indexOf(id);
            if (from >= 0 && from < target) {
                target--;
            }
        }
        for (long id : ids) {
            service.move(id, target++);
        }
        model.refresh();
    }

    public void pauseAll() {
        service.pauseAll();
        model.refresh();
    }

    public void resumeAll() {
        service.resumeAll();
        model.refresh();
    }

    /** Asks for and sets the selected transfers' own speed limit. */
    public void askLimit(List<TransferRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long current = rows.get(0).limitProperty().get();
        String initial = current > 0 ? Sizes.format(current) + "/s" : "";
        Dialogs.ask(owner, "Speed limit",
                "Limit for " + (rows.size() == 1 ? rows.get(0).nameProperty().get() : rows.size() + " transfers")
                        + " (e.g. 500 KiB/s or 2 MiB/s; empty for none):", initial)
                .ifPresent(text -> setLimit(rows, text));
    }

    /** Sets the limit from a person's text; a bad value gets a message, never an exception. */
    public boolean setLimit(List<TransferRow> rows, String text) {
        long limit;
        try {
            limit = text == null || text.isBlank() || text.strip().equalsIgnoreCase("none") ? 0
                    : Sizes.parseRate(text.strip());
        } catch (RuntimeException e) {
            status.accept("Not a speed: '" + text.strip() + "' (try 500 KiB/s or 2 MiB/s)");
            return false;
        }
        rows.forEach(r -> service.setLimit(r.id(), limit));
        model.refresh();
        boolean copies = rows.stream().anyMatch(r -> r.snapshot().kind() == TransferSpec.Kind.COPY);
        status.accept("Speed limit " + Formats.limit(limit)
                + (copies ? " (a copy's limit is kept by TOS servers; S3 copies cannot be slowed)" : ""));
        return true;
    }

    public void openFile(TransferRow row) {
        destinationOf(row).filter(Files::exists).ifPresentOrElse(opener,
                () -> status.accept("The file is no longer there"));
    }

    public void showInFolder(TransferRow row) {
        destinationOf(row).map(Path::getParent).filter(Files::isDirectory).ifPresentOrElse(opener,
                () -> status.accept("The folder is no longer there"));
    }

    private static java.util.Optional<Path> destinationOf(TransferRow row) {
        TransferSnapshot s = row.snapshot();
        return s.kind() == TransferSpec.Kind.DOWNLOAD ? java.util.Optional.of(Path.of(s.destination()))
                : java.util.Optional.empty();
    }

    private List<TransferRow> sorted(List<TransferRow> rows, boolean descending) {
        Comparator<TransferRow> byIndex = Comparator.comparingInt(r -> service.indexOf(r.id()));
        return new ArrayList<>(rows).stream().sorted(descending ? byIndex.reversed() : byIndex).toList();
    }

    private static void each(List<TransferRow> rows, Predicate<TransferRow> when, Consumer<TransferRow> action) {
        for (TransferRow r : new ArrayList<>(rows)) {
            if (when.test(r)) {
                action.accept(r);
            }
        }
    }
}
