package dev.ferry.app.browser;

import javafx.scene.Node;
import javafx.scene.paint.Color;
import javafx.scene.shape.SVGPath;

/** Small drawn marks for the rows (shapes, so they show whatever fonts the system has). */
final class Icons {
    private static final String FOLDER = "M0,2 L0,13 L16,13 L16,4 L7.5,4 L5.5,2 Z";
    private static final String BUCKET = "M1,2 L15,2 L13,14 L3,14 Z";

    private Icons() {
    }

    static Node forKind(Entry.Kind kind) {
        return switch (kind) {
            case FOLDER -> shape(FOLDER, Color.web("#d9a62e"), "folder-icon");
            case BUCKET -> shape(BUCKET, Color.web("#4a7fb5"), "bucket-icon");
            case OBJECT -> null;
        };
    }

    private static Node shape(String path, Color fill, String styleClass) {
        SVGPath p = new SVGPath();
        p.setContent(path);
        p.setFill(fill);
        p.getStyleClass().add(styleClass);
        return p;
    }
}
