package dev.ferry.cli;

import dev.ferry.transfer.FailureKind;
import java.io.PrintStream;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.storage.ObjectInfo;
import dev.ferry.transfer.CopyResult;
import dev.ferry.transfer.DownloadResult;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.event.Progress;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferListener;

/**
 * Shows one transfer: a live progress line on a terminal, JSON lines with {@code --json}, and only
 * decisions and problems otherwise.
 */
final class TransferPrinter implements TransferListener {
    enum Mode { TERMINAL, PLAIN, JSON }

    private final Mode mode;
    private final String label;
    private final PrintStream out;
    private final PrintStream err;
    private boolean lineOpen;

    TransferPrinter(Mode mode, String label, PrintStream out, PrintStream err) {
        this.mode = mode;
        this.label = label;
        this.out = out;
        this.err = err;
    }

    static Mode modeFor(boolean json, boolean quietProgress) {
        if (json) {
            return Mode.JSON;
        }
        return System.console() != null && !quietProgress ? Mode.TERMINAL : Mode.PLAIN;
    }

    @Override
    public void onEvent(TransferEvent e) {
        if (mode == Mode.JSON) {
            ObjectNode n = Json.object("event");
            n.put("source", label);
            n.put("event", e.type().name());
            if (e.part() > 0) {
                n.put("part", e.part());
                n.put("start", e.rangeStart());
                n.put("end", e.rangeEnd());
            }
            if (e.message() != null) {
                n.put("message", e.message());
            }
            n.put("time", e.time().toString());
            Json.print(out, n);
            return;
        }
        switch (e.type()) {
            case RESUMED, CHECKPOINT_DISCARDED, CHECKPOINT_FAILED, UPLOAD_ABORTED -> say(e.message());
            case PART_FAILED, PART_RECONNECTED -> say("part " + e.part() + ": " + e.message());
            default -> {
            }
        }
    }

    @Override
    public void onProgress(Progress p) {
        if (mode == Mode.JSON) {
            if (p.state().isTerminal()) {
                return;
            }
            ObjectNode n = Json.object("progress");
            n.put("source", label);
            n.put("state", p.state().name());
            n.put("done", p.done());
            n.put("total", p.total());
            n.put("fetched", p.fetched());
            n.put("rate", p.rate());
            n.put("smoothedRate", p.smoothedRate());
            n.put("eta", p.etaSeconds());
            n.put("partsDone", p.partsDone());
            n.put("partsTotal", p.partsTotal());
            Json.print(out, n);
        } else if (mode == Mode.TERMINAL && !p.state().isTerminal() && p.total() >= 0) {
            String line = String.format(Locale.ROOT, "\r%5.1f%%  %s / %s  %s/s  ETA %s   ",
                    p.fraction() * 100, Sizes.format(p.done()), Sizes.format(p.total()),
                    Sizes.format(p.smoothedRate()), eta(p.etaSeconds()));
            synchronized (err) {
                err.print(line);
                err.flush();
                lineOpen = true;
            }
        }
    }

    private void say(String message) {
        synchronized (err) {
            if (lineOpen) {
                err.println();
                lineOpen = false;
            }
            err.println(Printable.text("ferry: " + label + ": " + message));
        }
    }

    void endLine() {
        synchronized (err) {
            if (lineOpen) {
                err.println();
                lineOpen = false;
            }
        }
    }

    void printResult(DownloadResult r, long elapsedNanos) {
        endLine();
        if (mode == Mode.JSON) {
            ObjectNode n = resultNode(r.state(), r.info(), r.message(), r.failureKind(), elapsedNanos);
            n.put("destination", r.destination().toString());
            n.put("fetched", r.fetched());
            n.put("reused", r.reused());
            Json.print(out, n);
        } else if (r.succeeded()) {
            double secs = Math.max(elapsedNanos / 1e9, 1e-3);
            // after a resume, the time and rate are this run's: what it fetched, not what earlier runs did
            String resumed = r.reused() > 0 ? ", " + Sizes.format(r.fetched()) + " of it now" : "";
            line(String.format(Locale.ROOT, "%s -> %s  %s%s in %.1f s (%s/s)", label, r.destination(),
                    Sizes.format(r.info().size()), resumed, secs, Sizes.format((long) (r.fetched() / secs))));
        } else {
            printEnding(r.state(), r.message());
        }
    }

    void printResult(CopyResult r, long elapsedNanos) {
        endLine();
        if (mode == Mode.JSON) {
            ObjectNode n = resultNode(r.state(), r.info(), r.message(), r.failureKind(), elapsedNanos);
            n.put("copied", r.copied());
            n.put("reused", r.reused());
            n.put("parts", r.parts());
            n.put("etag", r.etag());
            n.put("alreadyThere", r.alreadyThere());
            Json.print(out, n);
        } else if (r.succeeded()) {
            // nothing copied in this run: the destination already was the copy
            String already = r.alreadyThere() ? " (already there, nothing copied)" : "";
            line(String.format(Locale.ROOT, "%s  %s in %.1f s%s", label, Sizes.format(r.info().size()),
                    Math.max(elapsedNanos / 1e9, 1e-3), already));
        } else {
            printEnding(r.state(), r.message());
        }
    }

    /**
     * Prints a whole line with one write: standard output flushes on every print, so a line printed in pieces costs
     * a system call per piece (a folder of many small files prints a line per file).
     */
    private void line(String text) {
        out.print(Printable.text(text) + System.lineSeparator());
    }

    /** The fields every result line has. */
    private ObjectNode resultNode(TransferState state, ObjectInfo info, String message, FailureKind kind,
                                  long elapsedNanos) {
        ObjectNode n = Json.object("result");
        n.put("source", label);
        n.put("state", state.name());
        n.put("size", info == null ? -1 : info.size());
        n.put("seconds", elapsedNanos / 1e9);
        n.put("message", message);
        if (kind != FailureKind.NONE) {
            n.put("failure", kind.name());
        }
        return n;
    }

    /** A paused, cancelled or failed transfer's one line on stderr. */
    private void printEnding(TransferState state, String message) {
        boolean failed = state == TransferState.FAILED;
        err.println(Printable.text("ferry: " + (failed ? "error: " : "") + label + ": " + message));
    }

    static String eta(long seconds) {
        if (seconds < 0) {
            return "--:--";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
