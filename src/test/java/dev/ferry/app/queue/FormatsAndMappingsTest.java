package dev.ferry.app.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.transfer.queue.PartState;
import dev.ferry.transfer.queue.PartState.Status;

class FormatsAndMappingsTest {
    @Test
    void theSliderIsLogarithmicFrom64KiBToUnlimited() {
        assertThat(BandwidthControl.limitAt(0)).isEqualTo(64L * 1024);
        assertThat(BandwidthControl.limitAt(4)).isEqualTo(1024L * 1024);
        assertThat(BandwidthControl.limitAt(14)).isEqualTo(1L << 30);
        assertThat(BandwidthControl.limitAt(BandwidthControl.UNLIMITED_AT)).isZero();
        for (long limit : new long[] {64L * 1024, 300_000, 5L << 20, 1L << 30}) {
            long back = BandwidthControl.limitAt(BandwidthControl.position(limit));
            assertThat((double) back).isCloseTo(limit, org.assertj.core.data.Percentage.withPercentage(0.5));
        }
        assertThat(BandwidthControl.position(0)).isEqualTo(BandwidthControl.UNLIMITED_AT);
        assertThat(BandwidthControl.position(1)).isZero();
    }

    @Test
    void etasReadNaturally() {
        assertThat(Formats.eta(-1)).isEmpty();
        assertThat(Formats.eta(42)).isEqualTo("42 s");
        assertThat(Formats.eta(185)).isEqualTo("3 min 05 s");
        assertThat(Formats.eta(7800)).isEqualTo("2 h 10 min");
        assertThat(Formats.rate(0)).isEmpty();
        assertThat(Formats.limit(0)).isEqualTo("unlimited");
    }

    @Test
    void thePartMapFoldsNeighboursInOneStateIntoOneSegment() {
        List<PartState> parts = List.of(
                new PartState(1, 0, 10, 10, Status.DONE), new PartState(2, 10, 10, 10, Status.DONE),
                new PartState(3, 20, 10, 4, Status.IN_FLIGHT), new PartState(4, 30, 10, 0, Status.FAILED),
                new PartState(5, 40, 10, 0, Status.PENDING), new PartState(6, 50, 5, 0, Status.PENDING));
        List<PartMap.Run> runs = PartMap.runs(parts);
        assertThat(runs).extracting(PartMap.Run::status)
                .containsExactly(Status.DONE, Status.IN_FLIGHT, Status.FAILED, Status.PENDING);
        assertThat(runs).extracting(PartMap.Run::getValue).containsExactly(20.0, 10.0, 10.0, 15.0);
        assertThat(runs.get(3).first()).isEqualTo(5);
        assertThat(runs.get(3).last()).isEqualTo(6);
        assertThat(PartMap.runs(List.of())).isEmpty();
    }

    @Test
    void aFolderIsRecreatedBelowTheChosenFolder() {
        assertThat(Intake.parentOf("photos/2024/")).isEqualTo("photos/");
        assertThat(Intake.parentOf("photos/")).isEmpty();
        assertThat(Intake.parentOf("")).isEmpty();
        assertThat(Intake.summary(1, List.of())).isEqualTo("Queued 1 download");
        assertThat(Intake.summary(0, List.of("x: gone"))).isEqualTo("Nothing was queued; 1 problem: x: gone");
    }

    @Test
    void progressNeverReadsAsDoneBeforeItIs() {
        assertThat(ProgressCell.text(0)).isEmpty();
        assertThat(ProgressCell.text(0.4567)).isEqualTo("45.6%");
        assertThat(ProgressCell.text(0.99999)).isEqualTo("99.9%");
        assertThat(ProgressCell.text(1.0)).isEqualTo("100%");
    }

    @Test
    void draggedRowIdsAreRead() {
        assertThat(QueueView.parseIds("3,1, 2,x")).containsExactly(3L, 1L, 2L);
    }
}
