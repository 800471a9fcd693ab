package dev.ferry.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javafx.scene.Scene;

import dev.ferry.app.settings.AppSettings;

/** The app's one stylesheet, and the dark theme layered over it. */
public final class Themes {
    static final String BASE = stylesheet("ferry.css");
    static final String DARK = stylesheet("ferry-dark.css");

    private Themes() {
    }

    /** Styles a scene (any window of the app) with the named theme. */
    public static void apply(Scene scene, String theme) {
        List<String> sheets = new ArrayList<>(List.of(BASE));
        if (AppSettings.DARK.equals(theme)) {
            sheets.add(DARK);
        }
        scene.getStylesheets().setAll(sheets);
    }

    private static String stylesheet(String name) {
        return Objects.requireNonNull(Themes.class.getResource(name), name).toExternalForm();
    }
}
