package dev.ferry.app.queue;

import java.util.Objects;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/** One queue row: observable copies of a transfer's latest snapshot, set on the FX thread only. */
public final class TransferRow {
    private final long id;
    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty kind = new SimpleStringProperty();
    private final LongProperty size = new SimpleLongProperty(-1);
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final LongProperty rate = new SimpleLongProperty();
    private final LongProperty eta = new SimpleLongProperty(-1);
    private final ObjectProperty<TransferState> state = new SimpleObjectProperty<>(TransferState.QUEUED);
    private final StringProperty status = new SimpleStringProperty();
    private final LongProperty limit = new SimpleLongProperty();
    private final ObjectProperty<TransferSnapshot> snapshot = new SimpleObjectProperty<>();

    TransferRow(TransferSnapshot s) {
        this.id = s.id();
        kind.set(s.kind() == TransferSpec.Kind.COPY ? "Copy" : "Download");
        update(s);
    }

    /**
     * Takes a newer snapshot of the transfer. Returns false when it shows nothing new: the service hands out the
     * same snapshot again for a transfer that did not change, which costs nothing here.
     */
    boolean update(TransferSnapshot s) {
        TransferSnapshot old = snapshot.get();
        if (s == old || s.equals(old)) {
            return false;
        }
        snapshot.set(s);
        name.set(s.name());
        size.set(s.total());
        progress.set(s.fraction());
        rate.set(s.isActive() ? s.rate() : 0);
        eta.set(s.isActive() ? s.etaSeconds() : -1);
        state.set(s.state());
        if (old == null || old.state() != s.state() || !Objects.equals(old.message(), s.message())) {
            status.set(Formats.status(s));
        }
        limit.set(s.limit());
        return true;
    }

    public long id() {
        return id;
    }

    public ReadOnlyStringProperty nameProperty() {
        return name;
    }

    public ReadOnlyStringProperty kindProperty() {
        return kind;
    }

    public ReadOnlyLongProperty sizeProperty() {
        return size;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyLongProperty rateProperty() {
        return rate;
    }

    public ReadOnlyLongProperty etaProperty() {
        return eta;
    }

    public ReadOnlyObjectProperty<TransferState> stateProperty() {
        return state;
    }

    /** The state as a person reads it: "Failed: the object does not exist", "Paused", "Transferring". */
    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ReadOnlyLongProperty limitProperty() {
        return limit;
    }

    public ReadOnlyObjectProperty<TransferSnapshot> snapshotProperty() {
        return snapshot;
    }

    public TransferState state() {
        return state.get();
    }

    public TransferSnapshot snapshot() {
        return snapshot.get();
    }
}
