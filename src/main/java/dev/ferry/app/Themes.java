package dev.ferry.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.stage.Window;

import dev.ferry.app.settings.AppSettings;

/**
 * The app's one stylesheet, and the dark theme layered over it, on every window the app opens: the main
 * window, the browser, the connections window and every dialog.
 */
public final class Themes {
    static final String BASE = stylesheet("ferry.css");
    static final String DARK = stylesheet("ferry-dark.css");
    private static Supplier<String> current;

    private Themes() {
    }

    /** Styles a scene with the named theme. */
    public static void apply(Scene scene, String theme) {
        List<String> sheets = new ArrayList<>(List.of(BASE));
        if (AppSettings.DARK.equals(theme)) {
            sheets.add(DARK);
        }
        scene.getStylesheets().setAll(sheets);
    }

    /**
     * From now on, every window that opens gets the theme {@code theme} names at that moment. Call on the FX
     * thread, once; {@link #refresh()} restyles the open windows after the theme changed.
     */
    public static void follow(Supplier<String> theme) {
        boolean first = current == null;
        current = theme;
        if (!first) {
            return;
        }
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(Themes::style);
            }
        });
        refresh();
    }

    /** Restyles every open window with the current theme. */
    public static void refresh() {
        if (current != null) {
            List.copyOf(Window.getWindows()).forEach(Themes::style);
        }
    }

    private static void style(Window w) {
        if (w.getScene() != null) {
            apply(w.getScene(), current.get());
        }
        w.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null && current != null) {
                apply(scene, current.get());
            }
        });
    }

    private static String stylesheet(String name) {
        return Objects.requireNonNull(Themes.class.getResource(name), name).toExternalForm();
    }
}
