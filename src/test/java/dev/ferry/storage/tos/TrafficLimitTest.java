package dev.ferry.storage.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrafficLimitTest {

    @Test
    void aTransfersRateIsSharedAmongItsConnectionsInBits() {
        // 8 MiB/s over 4 connections: 2 MiB/s each, 16 Mibit/s
        assertThat(TrafficLimit.perConnection(8L << 20, 4)).isEqualTo(16L << 20);
        assertThat(TrafficLimit.perConnection(0, 8)).isZero();
    }

    @Test
    void aShareBelowTheMinimumIsRaisedAndOneAboveTheMaximumNeedsNoServerLimit() {
        assertThat(TrafficLimit.perConnection(10_000, 8)).isEqualTo(TrafficLimit.MIN_BITS_PER_SECOND);
        assertThat(TrafficLimit.perConnection(1L << 30, 2)).isZero();
        assertThat(TrafficLimit.perConnection(100L << 20, 1)).isEqualTo(TrafficLimit.MAX_BITS_PER_SECOND);
    }

    @Test
    void valuesTosWouldRefuseAreRefused() {
        TrafficLimit.check(0);
        TrafficLimit.check(TrafficLimit.MIN_BITS_PER_SECOND);
        TrafficLimit.check(TrafficLimit.MAX_BITS_PER_SECOND);
        assertThatThrownBy(() -> TrafficLimit.check(TrafficLimit.MIN_BITS_PER_SECOND - 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficLimit.check(TrafficLimit.MAX_BITS_PER_SECOND + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficLimit.perConnection(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrafficLimit.perConnection(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
