package dev.ferry.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import dev.ferry.transfer.queue.PartState;
import dev.ferry.transfer.queue.PartState.Status;

/** The part map as laid out on screen: one horizontal bar across the pane, segments sized by bytes. */
@ExtendWith(ApplicationExtension.class)
class PartMapViewTest {
    PartMap map;

    @Start
    void start(Stage stage) {
        map = new PartMap();
        stage.setScene(new Scene(new VBox(new Label("parts"), map.node()), 600, 200));
        stage.show();
    }

    private static long permille(double fraction) {
        return Math.round(fraction * 1000);
    }

    @Test
    void segmentsSpanTheWidthInProportionToTheirBytes() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> map.show(List.of(new PartState(1, 0, 30, 30, Status.DONE),
                new PartState(2, 30, 30, 30, Status.DONE), new PartState(3, 60, 20, 5, Status.IN_FLIGHT),
                new PartState(4, 80, 40, 0, Status.PENDING)))).get();
        WaitForAsyncUtils.waitForFxEvents();
        List<Node> segments = WaitForAsyncUtils.asyncFx(() -> List.copyOf(map.node().getChildrenUnmodifiable()))
                .get();
        // the bar spans the pane (whatever size an earlier test left the shared stage at), split by bytes
        double width = map.node().getWidth();
        double pane = WaitForAsyncUtils.asyncFx(() -> map.node().getParent().getLayoutBounds().getWidth()).get();
        assertThat(width).isEqualTo(pane).isGreaterThan(100);
        assertThat(map.node().getHeight()).isGreaterThanOrEqualTo(14.0);
        assertThat(segments).hasSize(3);
        assertThat(segments).extracting(n -> permille(n.getBoundsInParent().getWidth() / width))
                .containsExactly(500L, 167L, 333L);
        assertThat(segments).extracting(n -> permille(n.getBoundsInParent().getMinX() / width))
                .containsExactly(0L, 500L, 667L);
        assertThat(segments.get(0).getStyle()).contains(PartMap.color(Status.DONE));
    }
}
