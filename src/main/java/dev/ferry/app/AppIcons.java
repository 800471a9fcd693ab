package dev.ferry.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javafx.collections.ListChangeListener;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Ferry's icon on every window the app opens (title bar, taskbar, window switcher): the main window, the
 * browser, the connections window and every dialog. The desktop picks the size it needs from the set.
 */
public final class AppIcons {
    /** The sizes rendered into the class path by {@code icons/render.sh}. */
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256};
    private static List<Image> images;
    private static boolean following;

    private AppIcons() {
    }

    /** The icon in every size, loaded once. */
    public static synchronized List<Image> images() {
        if (images == null) {
            List<Image> loaded = new ArrayList<>();
            for (int size : SIZES) {
                try (InputStream in = AppIcons.class.getResourceAsStream("icons/ferry-" + size + ".png")) {
                    if (in != null) {
                        loaded.add(new Image(in));
                    }
                } catch (IOException unreadable) {
                    // a missing size only means the desktop scales another one
                }
            }
            images = List.copyOf(loaded);
        }
        return images;
    }

    /** The icon drawn at {@code size} pixels, if there is one. */
    public static java.util.Optional<Image> image(int size) {
        return images().stream().filter(i -> i.getWidth() == size).findFirst();
    }

    /** Gives a stage the icon, unless it was given one of its own. */
    public static void apply(Stage stage) {
        if (stage.getIcons().isEmpty()) {
            stage.getIcons().setAll(images());
        }
    }

    /** From now on every stage that opens gets the icon, and so do those open now. Call on the FX thread. */
    public static void follow() {
        if (following) {
            return;
        }
        following = true;
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(AppIcons::applyTo);
            }
        });
        List.copyOf(Window.getWindows()).forEach(AppIcons::applyTo);
    }

    private static void applyTo(Window w) {
        if (w instanceof Stage stage) {
            apply(stage);
        }
    }
}
