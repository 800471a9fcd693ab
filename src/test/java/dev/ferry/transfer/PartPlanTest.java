package dev.ferry.transfer;

import static dev.ferry.transfer.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.transfer.PartPlan.Range;

class PartPlanTest {
    private static final long TIB = 1L << 40;

    @Test
    void exactMultipleGivesEqualParts() {
        List<Range> parts = PartPlan.split(40 * MIB, 20 * MIB);

        assertThat(parts).containsExactly(
                new Range(1, 0, 20 * MIB),
                new Range(2, 20 * MIB, 20 * MIB));
    }

    @Test
    void lastPartIsShorter() {
        List<Range> parts = PartPlan.split(45 * MIB + 7, 20 * MIB);

        assertThat(parts).containsExactly(
                new Range(1, 0, 20 * MIB),
                new Range(2, 20 * MIB, 20 * MIB),
                new Range(3, 40 * MIB, 5 * MIB + 7));
        assertThat(parts.get(2).endInclusive()).isEqualTo(45 * MIB + 6);
    }

    @Test
    void emptyObjectHasNoParts() {
        assertThat(PartPlan.split(0, 20 * MIB)).isEmpty();
    }

    @Test
    void oneByteObjectHasOnePart() {
        assertThat(PartPlan.split(1, 20 * MIB)).containsExactly(new Range(1, 0, 1));
        assertThat(new Range(1, 0, 1).endInclusive()).isZero();
    }

    @Test
    void objectSmallerThanAPartIsOnePart() {
        assertThat(PartPlan.split(5, 20 * MIB)).containsExactly(new Range(1, 0, 5));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 1",
        "10, 3",
        "1000003, 65536",
        "104857600, 8388608",
        "104857601, 20971520",
        "7, 7",
    })
    void partsCoverTheObjectContiguously(long size, long partSize) {
        List<Range> parts = PartPlan.split(size, partSize);

        long next = 0;
        for (int i = 0; i < parts.size(); i++) {
            Range r = parts.get(i);
            assertThat(r.number()).isEqualTo(i + 1);
            assertThat(r.start()).isEqualTo(next);
            assertThat(r.length()).isPositive().isLessThanOrEqualTo(partSize);
            if (i < parts.size() - 1) {
                assertThat(r.length()).isEqualTo(partSize);
            }
            next = r.endInclusive() + 1;
        }
        assertThat(next).isEqualTo(size);
        assertThat(parts).hasSize((int) ((size + partSize - 1) / partSize));
    }

    @Test
    void requestedPartSizeIsKeptWhenFewEnoughParts() {
        assertThat(PartPlan.effectivePartSize(100 * MIB, 20 * MIB)).isEqualTo(20 * MIB);
        assertThat(PartPlan.effectivePartSize(0, 5 * MIB)).isEqualTo(5 * MIB);
        assertThat(PartPlan.effectivePartSize(10_000 * 5 * MIB, 5 * MIB)).isEqualTo(5 * MIB);
        assertThat(PartPlan.effectivePartSize(1000, 7)).isEqualTo(7);
    }

    @Test
    void tooManyPartsRaisesPartSizeToWholeMib() {
        long size = 10_000 * 5 * MIB + 1;

        long part = PartPlan.effectivePartSize(size, 5 * MIB);

        assertThat(part).isEqualTo(6 * MIB);
        assertThat(PartPlan.split(size, part)).hasSizeLessThanOrEqualTo(PartPlan.MAX_PARTS);
    }

    @Test
    void fiveTibWithFiveMibParts() {
        long size = 5 * TIB;

        long part = PartPlan.effectivePartSize(size, 5 * MIB);

        assertThat(part).isEqualTo(525 * MIB);
        assertThat(part % MIB).isZero();
        assertThat(part).isLessThanOrEqualTo(PartPlan.MAX_PART_SIZE);
        List<Range> parts = PartPlan.split(size, part);
        assertThat(parts).hasSize(9987);
        assertThat(parts.get(parts.size() - 1).endInclusive()).isEqualTo(size - 1);
    }

    @Test
    void raisedPartSizeIsTheSmallestWholeMibThatFits() {
        for (long size : new long[] {50_000 * MIB + 1, 123_456_789_012L, 3 * TIB + 17, 5 * TIB}) {
            long part = PartPlan.effectivePartSize(size, MIB);

            assertThat(part % MIB).isZero();
            assertThat(ceilDiv(size, part)).isLessThanOrEqualTo(PartPlan.MAX_PARTS);
            assertThat(ceilDiv(size, part - MIB)).isGreaterThan(PartPlan.MAX_PARTS);
        }
    }

    @Test
    void hugeObjectSizeDoesNotOverflow() {
        long part = PartPlan.effectivePartSize(Long.MAX_VALUE, MIB);

        assertThat(part).isPositive();
        assertThat(ceilDiv(Long.MAX_VALUE, part)).isLessThanOrEqualTo(PartPlan.MAX_PARTS);
    }

    @Test
    void nonPositivePartSizeIsRejected() {
        assertThatThrownBy(() -> PartPlan.effectivePartSize(100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.effectivePartSize(100, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.split(100, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartPlan.split(100, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    @Test
    void balancedPartsFillTheLastRoundOfConnections() {
        long gib = 1024 * MIB;
        long part = PartPlan.balancedPartSize(gib, 20 * MIB, 8);
        List<Range> parts = PartPlan.split(gib, part);

        assertThat(part).isLessThanOrEqualTo(20 * MIB).isEqualTo(18 * MIB + 320 * 1024);
        assertThat(parts).hasSize(56);
        assertThat(parts.size() % 8).isZero();
    }

    @Test
    void balancedPartsStayWithinTheRequestedSizeTheMinimumAndTheCountLimit() {
        // already whole rounds: unchanged
        assertThat(PartPlan.balancedPartSize(160 * MIB, 20 * MIB, 8)).isEqualTo(20 * MIB);
        // one part, or one connection: unchanged
        assertThat(PartPlan.balancedPartSize(20 * MIB, 20 * MIB, 8)).isEqualTo(20 * MIB);
        assertThat(PartPlan.balancedPartSize(1024 * MIB, 20 * MIB, 1)).isEqualTo(20 * MIB);
        // never below 5 MiB: 30 MiB on 8 connections is six parts of 5 MiB, not eight of 3.75
        assertThat(PartPlan.balancedPartSize(30 * MIB, 20 * MIB, 8)).isEqualTo(5 * MIB);
        // a requested size below 5 MiB is kept as the floor
        assertThat(PartPlan.balancedPartSize(10 * MIB, MIB, 4)).isEqualTo(MIB);
        // never more than 10,000 parts
        long huge = 10_000L * 20 * MIB - 1;
        long p = PartPlan.balancedPartSize(huge, 20 * MIB, 16);
        assertThat((huge + p - 1) / p).isLessThanOrEqualTo(PartPlan.MAX_PARTS);
    }
}
