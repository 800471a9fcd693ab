package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.ModifiableObservableListBase;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * The queue as the view sees it: one {@link TransferRow} per transfer, in queue order, refreshed from the
 * service's snapshots four times a second on the FX thread (never one update per byte or event), plus a minute
 * of speed history per transfer that has run, for the detail pane's chart.
 *
 * <p>Each refresh reports to the rows' listeners at most once per kind: one structural change covering just the
 * stretch of the queue that changed (a transfer added, removed or moved), and one change listing the rows whose
 * values changed. A list with an extractor would instead fire a change per changed property of every row, and
 * search the whole list for the row each time; with thousands of transfers that is what makes a window stutter.
 */
public final class QueueModel {
    static final int HISTORY_SECONDS = 60;
    private static final Duration TICK = Duration.millis(250);

    private final TransferService service;
    private final RowList rows = new RowList();
    private final Map<Long, TransferRow> byId = new HashMap<>();
    private final Map<Long, History> history = new HashMap<>();
    private final LongProperty totalRate = new SimpleLongProperty();
    private volatile LinkBook links;
    private final Timeline timeline;
    private int ticks;

    public QueueModel(TransferService service) {
        this.service = service;
        this.timeline = new Timeline(new KeyFrame(TICK, e -> refresh()));
        timeline.setCycleCount(Animation.INDEFINITE);
    }

    public TransferService service() {
        return service;
    }

    /** Where link downloads keep their links, so a fresh link can replace an expired one. */
    public void useLinks(LinkBook book) {
        this.links = book;
    }

    /** The links of link downloads, when this model was given them. */
    public java.util.Optional<LinkBook> links() {
        return java.util.Optional.ofNullable(links);
    }

    public ObservableList<TransferRow> rows() {
        return rows;
    }

    /** The sum of every running transfer's rate, bytes per second. */
    public ReadOnlyLongProperty totalRateProperty() {
        return totalRate;
    }

    /**
     * The last minute of a transfer's rate, one sample a second, oldest first; it starts when the transfer first
     * runs (empty for one that never ran).
     */
    public List<Long> history(long id) {
        History h = history.get(id);
        return h == null ? List.of() : h.samples();
    }

    public void start() {
        refresh();
        timeline.play();
    }

    public void stop() {
        timeline.stop();
    }

    /** Brings the rows in line with the service: new ones added, gone ones removed, order and values updated. */
    public void refresh() {
        List<TransferSnapshot> snapshots = service.snapshot();
        boolean second = ++ticks % 4 == 0;
        int n = snapshots.size();
        TransferRow[] ordered = new TransferRow[n];
        int[] changed = new int[8];
        int changedCount = 0;
        boolean sameOrder = n == rows.size();
        long total = 0;
        for (int i = 0; i < n; i++) {
            TransferSnapshot s = snapshots.get(i);
            TransferRow row = byId.get(s.id());
            if (row == null) {
                row = new TransferRow(s);
                byId.put(s.id(), row);
            } else if (row.update(s)) {
                if (changedCount == changed.length) {
                    changed = Arrays.copyOf(changed, changedCount * 2);
                }
                changed[changedCount++] = i;
            }
            ordered[i] = row;
            sameOrder = sameOrder && rows.get(i) == row;
            long rate = s.isActive() ? s.rate() : 0;
            total += rate;
            if (second) {
                record(s.id(), s.isActive(), rate);
            }
        }
        if (byId.size() > n) {
            forgetGone(snapshots);
        }
        if (!sameOrder) {
            rows.replaceWith(Arrays.asList(ordered));
        }
        rows.updated(changed, changedCount);
        totalRate.set(total);
    }

    private void forgetGone(List<TransferSnapshot> snapshots) {
        Set<Long> present = new HashSet<>();
        for (TransferSnapshot s : snapshots) {
            present.add(s.id());
        }
        byId.keySet().retainAll(present);
        history.keySet().retainAll(present);
    }

    private void record(long id, boolean active, long rate) {
        History h = history.get(id);
        if (h == null) {
            if (!active) {
                return; // never ran: nothing to chart
            }
            h = new History();
            history.put(id, h);
        }
        h.add(rate);
    }

    public TransferRow row(long id) {
        return byId.get(id);
    }

    /** The rows, with changes reported as one event per kind and refresh. */
    private static final class RowList extends ModifiableObservableListBase<TransferRow> {
        private final ArrayList<TransferRow> items = new ArrayList<>();

        @Override
        public TransferRow get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        protected void doAdd(int index, TransferRow element) {
            items.add(index, element);
        }

        @Override
        protected TransferRow doSet(int index, TransferRow element) {
            return items.set(index, element);
        }

        @Override
        protected TransferRow doRemove(int index) {
            return items.remove(index);
        }

        /** Becomes {@code next}, replacing only the stretch between the common beginning and end. */
        void replaceWith(List<TransferRow> next) {
            int oldSize = items.size();
            int newSize = next.size();
            int common = Math.min(oldSize, newSize);
            int head = 0;
            while (head < common && items.get(head) == next.get(head)) {
                head++;
            }
            int tail = 0;
            while (tail < common - head && items.get(oldSize - 1 - tail) == next.get(newSize - 1 - tail)) {
                tail++;
            }
            List<TransferRow> gone = new ArrayList<>(items.subList(head, oldSize - tail));
            List<TransferRow> come = next.subList(head, newSize - tail);
            beginChange();
            try {
                items.subList(head, oldSize - tail).clear();
                items.addAll(head, come);
                modCount++;
                if (!gone.isEmpty()) {
                    nextRemove(head, gone);
                }
                if (!come.isEmpty()) {
                    nextAdd(head, head + come.size());
                }
            } finally {
                endChange();
            }
        }

        /** Reports that the rows at these indexes show new values. */
        void updated(int[] indexes, int count) {
            if (count == 0) {
                return;
            }
            beginChange();
            try {
                for (int i = 0; i < count; i++) {
                    nextUpdate(indexes[i]);
                }
            } finally {
                endChange();
            }
        }
    }

    /** One transfer's rate over the last minute, one sample a second. */
    private static final class History {
        private final long[] ring = new long[HISTORY_SECONDS];
        private int next;
        private int size;

        void add(long rate) {
            ring[next] = rate;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }

        List<Long> samples() {
            List<Long> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(ring[(next - size + i + ring.length) % ring.length]);
            }
            return out;
        }
    }
}
