package dev.ferry.app.queue;

import java.util.function.LongConsumer;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;

import dev.ferry.transfer.queue.TransferService;

/**
 * The global bandwidth slider: logarithmic from 64 KiB/s to unlimited (the right end), driving the engine's
 * global limiter as it moves, next to the measured total rate.
 */
public final class BandwidthControl {
    static final long MIN = 64L * 1024;
    /** Slider positions: 64 KiB/s · 2^position; the last position is "unlimited". */
    static final double UNLIMITED_AT = 15;

    private final Slider slider = new Slider(0, UNLIMITED_AT, UNLIMITED_AT);
    private final Label label = new Label();
    private final HBox root;

    /** {@code onChange} receives each new limit (for saving it); the service gets it at once. */
    public BandwidthControl(QueueModel model, TransferService service, long initialLimit, LongConsumer onChange) {
        slider.setId("bandwidth");
        slider.setPrefWidth(180);
        slider.setBlockIncrement(0.5);
        slider.setValue(position(initialLimit));
        service.setGlobalLimit(initialLimit);
        slider.setTooltip(new Tooltip("Limit for all downloads together (server-side copies are not slowed)"));
        slider.valueProperty().addListener((o, old, v) -> {
            long limit = limitAt(v.doubleValue());
            if (limit != service.globalLimit()) {
                service.setGlobalLimit(limit);
                onChange.accept(limit);
            }
        });
        label.setId("bandwidth-label");
        label.setMinWidth(230);
        label.textProperty().bind(Bindings.createStringBinding(
                () -> "Limit " + Formats.limit(limitAt(slider.getValue())) + " · now "
                        + (model.totalRateProperty().get() > 0 ? Formats.rate(model.totalRateProperty().get()) : "idle"),
                slider.valueProperty(), model.totalRateProperty()));
        root = new HBox(8, label, slider);
        root.setAlignment(Pos.CENTER_RIGHT);
    }

    public Node node() {
        return root;
    }

    public Slider slider() {
        return slider;
    }

    /** The limit at a slider position (0 = unlimited), rounded to whole KiB/s. */
    static long limitAt(double position) {
        if (position >= UNLIMITED_AT) {
            return 0;
        }
        double bytes = MIN * Math.pow(2, Math.max(0, position));
        return Math.round(bytes / 1024) * 1024;
    }

    /** The slider position showing a limit (0 = unlimited: the right end). */
    static double position(long limit) {
        if (limit <= 0) {
            return UNLIMITED_AT;
        }
        double p = Math.log((double) limit / MIN) / Math.log(2);
        return Math.max(0, Math.min(UNLIMITED_AT - 0.01, p));
    }
}
