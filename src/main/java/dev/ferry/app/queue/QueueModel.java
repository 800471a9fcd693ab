package dev.ferry.app.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.Observable;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;

import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;

/**
 * The queue as the view sees it: one {@link TransferRow} per transfer, in queue order, refreshed from the
 * service's snapshots four times a second on the FX thread (never one update per byte or event), plus a minute
 * of speed history per transfer for the detail pane's chart.
 */
public final class QueueModel {
    static final int HISTORY_SECONDS = 60;
    private static final Duration TICK = Duration.millis(250);

    private final TransferService service;
    private final ObservableList<TransferRow> rows = FXCollections.observableArrayList(
            r -> new Observable[] {r.progressProperty(), r.stateProperty(), r.statusProperty(), r.rateProperty()});
    private final Map<Long, TransferRow> byId = new HashMap<>();
    private final Map<Long, Deque<Long>> history = new HashMap<>();
    private final LongProperty totalRate = new SimpleLongProperty();
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

    public ObservableList<TransferRow> rows() {
        return rows;
    }

    /** The sum of every running transfer's rate, bytes per second. */
    public ReadOnlyLongProperty totalRateProperty() {
        return totalRate;
    }

    /** The last minute of a transfer's rate, one sample a second, oldest first. */
    public List<Long> history(long id) {
        Deque<Long> h = history.get(id);
        return h == null ? List.of() : new ArrayList<>(h);
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
        List<TransferRow> ordered = new ArrayList<>(snapshots.size());
        Set<Long> present = new HashSet<>();
        long total = 0;
        for (TransferSnapshot s : snapshots) {
            TransferRow row = byId.get(s.id());
            if (row == null) {
                row = new TransferRow(s);
                byId.put(s.id(), row);
            } else {
                row.update(s);
            }
            ordered.add(row);
            present.add(s.id());
            long rate = s.isActive() ? s.rate() : 0;
            total += rate;
            if (second) {
                record(s.id(), rate);
            }
        }
        byId.keySet().retainAll(present);
        history.keySet().retainAll(present);
        if (!rows.equals(ordered)) {
            rows.setAll(ordered);
        }
        totalRate.set(total);
    }

    private void record(long id, long rate) {
        Deque<Long> h = history.computeIfAbsent(id, k -> new ArrayDeque<>());
        if (h.size() == HISTORY_SECONDS) {
            h.removeFirst();
        }
        h.addLast(rate);
    }

    public TransferRow row(long id) {
        return byId.get(id);
    }
}
