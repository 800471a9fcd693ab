package dev.ferry.transfer.queue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.ferry.transfer.Download;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.PartView;
import dev.ferry.transfer.Transfer;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.event.Progress;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferListener;

/**
 * One entry of the queue: its spec, its state between runs, and the run in progress. Guarded by its own
 * monitor; the service calls in while holding its own, never the other way round.
 *
 * <p>Views read a snapshot of every entry four times a second, and a queue can hold thousands of entries that
 * are not running: the snapshot of an entry without a run is kept until something about it changes.
 */
final class QueuedTransfer {
    static final int LOG_LIMIT = 500;

    private enum Stop { NONE, PAUSE, CANCEL }

    private final long id;
    /** Replaced only while no run holds it (a failed copy asked to replace its destination). */
    private volatile TransferSpec spec;
    private final String sourceText;
    private final String destinationText;
    private final ArrayDeque<LogEntry> log = new ArrayDeque<>();
    private final Set<Integer> failedParts = new HashSet<>();

    private TransferState state;
    private String message = "";
    private FailureKind failure = FailureKind.NONE;
    /** The last state an attached run showed before it reached its end. */
    private TransferState lastLive = TransferState.CONNECTING;
    private long limit;
    private long total = -1;
    private long done;
    private int partsDone;
    private int partsTotal;
    private Path checkpoint;
    /** Holds a slot: from being picked by the dispatcher until its run has ended. */
    private boolean running;
    private Transfer transfer;
    private Stop pendingStop = Stop.NONE;
    private boolean pausedForShutdown;
    private boolean removeWhenStopped;
    private List<PartView> lastParts = List.of();
    /** The snapshot while no run is attached; null when something changed since it was taken. */
    private TransferSnapshot still;

    /** {@code scheme}: how the connection's objects are written as links ("s3", "tos"). */
    QueuedTransfer(long id, TransferSpec spec, TransferState state, long limit, String scheme) {
        this.id = id;
        this.spec = spec;
        this.sourceText = scheme == null ? spec.source().toString() : scheme + "://" + spec.source();
        this.destinationText = spec instanceof TransferSpec.Copy c ? scheme + "://" + c.destination()
                : spec.destinationText();
        this.state = state;
        this.limit = limit;
    }

    long id() {
        return id;
    }

    TransferSpec spec() {
        return spec;
    }

    synchronized TransferState state() {
        return state;
    }

    synchronized long limit() {
        return limit;
    }

    synchronized boolean isRunning() {
        return running;
    }

    synchronized boolean isRemoveWhenStopped() {
        return removeWhenStopped;
    }

    synchronized void setState(TransferState s, String why) {
        state = s;
        message = why == null ? "" : why;
        failure = FailureKind.NONE;
        still = null;
    }

    /** Gives a stopped entry a new spec of the same transfer (a copy now allowed to replace its destination). */
    synchronized void respec(TransferSpec changed) {
        if (running) {
            throw new IllegalStateException("a running transfer keeps its spec");
        }
        spec = changed;
        still = null;
    }

    synchronized void restore(String savedMessage, FailureKind savedFailure, long savedTotal, long savedDone) {
        message = savedMessage == null ? "" : savedMessage;
        failure = state == TransferState.FAILED && savedFailure != null ? savedFailure : FailureKind.NONE;
        total = savedTotal;
        done = savedDone;
        still = null;
    }

    // ---- a run's life ----------------------------------------------------------------------------------------

    /** Picked by the dispatcher: holds a slot from now on. */
    synchronized void starting() {
        running = true;
        pendingStop = Stop.NONE;
        pausedForShutdown = false;
        state = TransferState.CONNECTING;
        lastLive = TransferState.CONNECTING;
        message = "";
        failure = FailureKind.NONE;
        still = null;
        failedParts.clear();
        appendLog("starting", false);
    }

    /**
     * Hands over the run's transfer. Returns false when a pause or cancel arrived while it was being set up:
     * then it is not run at all, and after a cancel the caller discards what earlier runs left.
     */
    synchronized boolean attach(Transfer t, Path checkpointFile) {
        checkpoint = checkpointFile;
        still = null;
        if (pendingStop != Stop.NONE) {
            boolean cancelled = pendingStop == Stop.CANCEL;
            running = false;
            state = cancelled ? TransferState.CANCELLED : TransferState.PAUSED;
            message = cancelled ? "cancelled" : "paused";
            appendLog(message, false);
            notifyAll();
            return false;
        }
        transfer = t;
        return true;
    }

    /** The run ended (or could not start). */
    synchronized void finish(TransferState end, String why, FailureKind kind, Progress last, List<PartView> parts) {
        if (last != null) {
            total = last.total();
            done = end == TransferState.CANCELLED ? 0 : last.done();
            partsDone = last.partsDone();
            partsTotal = last.partsTotal();
        }
        if (parts != null) {
            lastParts = end == TransferState.CANCELLED ? List.of() : List.copyOf(parts);
        }
        boolean requeue = pausedForShutdown && end == TransferState.PAUSED;
        state = requeue ? TransferState.QUEUED : end;
        message = why == null ? "" : why;
        failure = end == TransferState.FAILED && kind != null ? kind : FailureKind.NONE;
        transfer = null;
        running = false;
        still = null;
        appendLog(end.name().toLowerCase() + (why == null || why.isBlank() ? "" : ": " + why),
                end == TransferState.FAILED);
        notifyAll();
    }

    synchronized void pause() {
        if (transfer != null) {
            transfer.pause();
        } else if (running) {
            pendingStop = Stop.PAUSE;
        }
    }

    synchronized void cancel() {
        if (transfer != null) {
            transfer.cancel();
        } else if (running) {
            pendingStop = Stop.CANCEL;
        }
    }

    /** Paused because Ferry is closing: saved as queued so it resumes on the next start. */
    synchronized void pauseForShutdown() {
        pausedForShutdown = true;
        pause();
    }

    synchronized void removeWhenStopped() {
        removeWhenStopped = true;
    }

    synchronized void awaitStopped(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (running) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    synchronized void setLimit(long bytesPerSecond) {
        limit = bytesPerSecond;
        still = null;
        if (transfer instanceof Download d) {
            d.setRateLimit(bytesPerSecond);
        }
    }

    // ---- what views read -------------------------------------------------------------------------------------

    synchronized TransferSnapshot snapshot() {
        if (transfer == null) {
            if (still == null) {
                still = take();
            }
            return still;
        }
        return take();
    }

    private TransferSnapshot take() {
        TransferState s = state;
        long tot = total;
        long dn = done;
        long rate = 0;
        long eta = -1;
        int pd = partsDone;
        int pt = partsTotal;
        if (transfer != null) {
            Progress p = transfer.progress();
            s = transfer.state() == TransferState.QUEUED ? TransferState.CONNECTING : transfer.state();
            // how a run ended is shown once it has ended (finish): before that, its outcome is not all known yet
            // (why it failed, whether its files are cleaned up), so the last state of the run itself stays
            if (s.isTerminal()) {
                s = lastLive;
            } else {
                lastLive = s;
            }
            if (p.total() >= 0) {
                tot = p.total();
                dn = p.done();
                pd = p.partsDone();
                pt = p.partsTotal();
            }
            rate = p.rate();
            eta = p.etaSeconds();
        }
        return new TransferSnapshot(id, spec.kind(), spec.name(), sourceText, destinationText, checkpoint, s, tot, dn,
                rate, eta, limit, message, pd, pt, failure);
    }

    synchronized List<PartState> parts() {
        List<PartView> views = transfer != null ? transfer.parts() : lastParts;
        List<PartState> out = new ArrayList<>(views.size());
        for (PartView v : views) {
            PartState.Status status = v.isDone() ? PartState.Status.DONE
                    : v.inFlight() ? PartState.Status.IN_FLIGHT
                    : failedParts.contains(v.number()) ? PartState.Status.FAILED
                    : PartState.Status.PENDING;
            out.add(new PartState(v.number(), v.start(), v.length(), v.done(), status));
        }
        return out;
    }

    synchronized List<LogEntry> log() {
        return List.copyOf(log);
    }

    synchronized void log(String text, boolean problem) {
        appendLog(text, problem);
    }

    synchronized QueueFile.Item item() {
        TransferSnapshot s = snapshot();
        // the run's own state: one that has just ended is saved as ended, though the row shows it once finished
        TransferState now = transfer != null ? transfer.state() : state;
        TransferState saved = pausedForShutdown || !now.isTerminal() ? TransferState.QUEUED : now;
        return QueueFile.item(id, spec, saved, message, failure, limit, s.total(), s.done());
    }

    /** Records the run's events in the log and keeps the set of failed parts for the part map. */
    TransferListener listener() {
        return new TransferListener() {
            @Override
            public void onEvent(TransferEvent e) {
                record(e);
            }
        };
    }

    private synchronized void record(TransferEvent e) {
        switch (e.type()) {
            case PART_FAILED -> failedParts.add(e.part());
            case PART_SUCCEEDED -> failedParts.remove(e.part());
            default -> {
            }
        }
        if (e.isTerminal()) {
            return; // finish() logs the outcome with the run's message
        }
        StringBuilder text = new StringBuilder(e.type().name().toLowerCase().replace('_', ' '));
        if (e.part() > 0) {
            text.append(' ').append(e.part());
        }
        if (e.message() != null && !e.message().isBlank()) {
            text.append(": ").append(e.message());
        }
        boolean problem = switch (e.type()) {
            case PART_FAILED, CHECKPOINT_DISCARDED, CHECKPOINT_FAILED, TEMP_FILE_FAILED, RENAME_FAILED,
                    UPLOAD_ABORTED -> true;
            default -> false;
        };
        appendLog(e.time(), text.toString(), problem);
    }

    private void appendLog(String text, boolean problem) {
        appendLog(Instant.now(), text, problem);
    }

    private void appendLog(Instant time, String text, boolean problem) {
        if (log.size() == LOG_LIMIT) {
            log.removeFirst();
        }
        log.addLast(new LogEntry(time, text, problem));
    }
}
