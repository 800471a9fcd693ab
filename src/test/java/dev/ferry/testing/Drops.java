package dev.ferry.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EnumSet;
import java.util.Map;

import javafx.event.Event;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import com.sun.javafx.tk.Toolkit;

/**
 * Drag-and-drop gestures delivered to a node as the platform would deliver them: a real {@link Dragboard} with
 * the dragged content and the DRAG_OVER, DRAG_DROPPED and DRAG_EXITED events in order. The headless platform
 * of the tests has no native drag source, so this stands in for the person's mouse; the handlers under test
 * are the app's own. Call on the FX thread.
 */
public final class Drops {
    private Drops() {
    }

    /** The result of a gesture: whether the target accepted the drag, and whether the drop completed. */
    public record Outcome(boolean accepted, boolean completed) {
    }

    public static Dragboard dragboard(Map<DataFormat, Object> content) {
        // the toolkit's local clipboard holds the content; a drag source also offers every transfer mode
        TKClipboard local = Toolkit.getToolkit().createLocalClipboard();
        TKClipboard dragging = (TKClipboard) Proxy.newProxyInstance(Drops.class.getClassLoader(),
                new Class<?>[] {TKClipboard.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getTransferModes")) {
                        return EnumSet.allOf(TransferMode.class);
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Dragboard db = DragboardHelper.createDragboard(dragging);
        db.setContent(content);
        return db;
    }

    /** Hovers {@code content} over {@code target}'s centre; true when the target would accept it. */
    public static boolean over(Node target, Map<DataFormat, Object> content) {
        return over(target, dragboard(content));
    }

    public static Outcome drop(Node target, Map<DataFormat, Object> content) {
        Dragboard db = dragboard(content);
        boolean accepted = over(target, db);
        DragEvent drop = event(target, DragEvent.DRAG_DROPPED, db);
        Event.fireEvent(target, drop);
        boolean completed = drop.isDropCompleted() || drop.isAccepted();
        Event.fireEvent(target, event(target, DragEvent.DRAG_EXITED, db));
        return new Outcome(accepted, completed);
    }

    private static boolean over(Node target, Dragboard db) {
        DragEvent over = event(target, DragEvent.DRAG_OVER, db);
        Event.fireEvent(target, over);
        return over.isAccepted();
    }

    private static DragEvent event(Node target, javafx.event.EventType<DragEvent> type, Dragboard db) {
        Bounds b = target.getLayoutBounds();
        Point2D local = new Point2D(b.getMinX() + b.getWidth() / 2, b.getMinY() + b.getHeight() / 2);
        Point2D screen = target.localToScreen(local);
        return new DragEvent(target, target, type, db, local.getX(), local.getY(),
                screen == null ? 0 : screen.getX(), screen == null ? 0 : screen.getY(), TransferMode.COPY, null,
                target, null);
    }
}
