package dev.ferry.app;

import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

import dev.ferry.app.settings.AppSettings.WindowBounds;

/** Puts the main window back where it was, as long as that place is still on a screen. */
public final class WindowPlacement {
    static final double DEFAULT_WIDTH = 1180;
    static final double DEFAULT_HEIGHT = 720;

    private WindowPlacement() {
    }

    /** Sizes and places {@code stage} from {@code saved}; the defaults, centred, when nothing usable was saved. */
    public static void restore(Stage stage, WindowBounds saved) {
        if (saved == null || saved.width() < 200 || saved.height() < 150
                || Screen.getScreensForRectangle(saved.x(), saved.y(), saved.width(), saved.height()).isEmpty()) {
            Rectangle2D screen = usableArea();
            stage.setWidth(Math.min(DEFAULT_WIDTH, screen.getWidth()));
            stage.setHeight(Math.min(DEFAULT_HEIGHT, screen.getHeight()));
            stage.centerOnScreen();
            return;
        }
        stage.setX(saved.x());
        stage.setY(saved.y());
        stage.setWidth(saved.width());
        stage.setHeight(saved.height());
        stage.setMaximized(saved.maximized());
    }

    /**
     * The primary screen's area for windows. Some window managers publish no work area (it reads as empty
     * before they set one); the whole screen stands in then.
     */
    static Rectangle2D usableArea() {
        Rectangle2D visual = Screen.getPrimary().getVisualBounds();
        return visual.getWidth() >= 400 && visual.getHeight() >= 300 ? visual : Screen.getPrimary().getBounds();
    }

    /** Where {@code stage} is now. */
    public static WindowBounds capture(Stage stage) {
        return new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
    }
}
