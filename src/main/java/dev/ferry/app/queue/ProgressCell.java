package dev.ferry.app.queue;

import java.util.Locale;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.layout.StackPane;

/** A progress bar with the percentage written over it; one reused node per visible cell. */
final class ProgressCell extends TableCell<TransferRow, Double> {
    private final ProgressBar bar = new ProgressBar();
    private final Label percent = new Label();
    private final StackPane box = new StackPane(bar, percent);

    ProgressCell() {
        bar.setMaxWidth(Double.MAX_VALUE);
        percent.getStyleClass().add("progress-text");
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(Double value, boolean empty) {
        super.updateItem(value, empty);
        if (empty || value == null) {
            setGraphic(null);
            return;
        }
        bar.setProgress(value);
        percent.setText(text(value));
        setGraphic(box);
    }

    static String text(double fraction) {
        if (fraction <= 0) {
            return "";
        }
        // 99.96% must not read as 100% before the file is verified and in place
        double pct = Math.floor(fraction * 1000) / 10;
        return String.format(Locale.ROOT, pct >= 100 ? "%.0f%%" : "%.1f%%", pct);
    }
}
