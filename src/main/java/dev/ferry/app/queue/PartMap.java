package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.List;

import javafx.geometry.Insets;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;

import org.controlsfx.control.SegmentedBar;

import dev.ferry.transfer.queue.PartState;

/**
 * A transfer's parts as one bar: each run of neighbouring parts in the same state is a segment, coloured by
 * state (pending, in flight, done, failed), sized by bytes. Runs keep a 10,000-part object to a handful of
 * nodes.
 */
public final class PartMap {
    /** A run of neighbouring parts in one state. */
    public static final class Run extends SegmentedBar.Segment {
        private final PartState.Status status;
        private final int first;
        private final int last;

        Run(PartState.Status status, int first, int last, double bytes) {
            super(bytes);
            this.status = status;
            this.first = first;
            this.last = last;
        }

        public PartState.Status status() {
            return status;
        }

        public int first() {
            return first;
        }

        public int last() {
            return last;
        }
    }

    private final SegmentedBar<Run> bar = new SegmentedBar<>();

    public PartMap() {
        bar.setId("part-map");
        bar.setMinHeight(16);
        bar.setPrefHeight(18);
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setOrientation(javafx.geometry.Orientation.HORIZONTAL);
        bar.setSegmentViewFactory(run -> {
            Region r = new Region();
            r.setStyle("-fx-background-color: " + color(run.status()) + ";");
            r.setPadding(new Insets(0));
            r.setMinHeight(14);
            Tooltip.install(r, new Tooltip((run.first() == run.last() ? "part " + run.first()
                    : "parts " + run.first() + "-" + run.last()) + ": " + run.status().name().toLowerCase()
                    .replace('_', ' ')));
            return r;
        });
        bar.setInfoNodeFactory(run -> null);
    }

    public SegmentedBar<Run> node() {
        return bar;
    }

    public void show(List<PartState> parts) {
        List<Run> runs = runs(parts);
        if (!sameRuns(runs, bar.getSegments())) {
            bar.getSegments().setAll(runs);
        }
    }

    static List<Run> runs(List<PartState> parts) {
        List<Run> runs = new ArrayList<>();
        int i = 0;
        while (i < parts.size()) {
            PartState first = parts.get(i);
            long bytes = 0;
            int j = i;
            while (j < parts.size() && parts.get(j).status() == first.status()) {
                bytes += Math.max(1, parts.get(j).length());
                j++;
            }
            runs.add(new Run(first.status(), first.number(), parts.get(j - 1).number(), bytes));
            i = j;
        }
        return runs;
    }

    private static boolean sameRuns(List<Run> a, List<Run> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Run x = a.get(i);
            Run y = b.get(i);
            if (x.status() != y.status() || x.first() != y.first() || x.last() != y.last()) {
                return false;
            }
        }
        return true;
    }

    static String color(PartState.Status s) {
        return switch (s) {
            case DONE -> "#3a9d5d";
            case IN_FLIGHT -> "#3b82c4";
            case FAILED -> "#c8443a";
            case PENDING -> "#d0d4d9";
        };
    }
}
