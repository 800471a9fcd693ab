package dev.ferry.transfer;

import java.util.ArrayList;
import java.util.List;

/** Splits an object into parts for parallel ranged requests. */
public final class PartPlan {
    public static final long MIB = 1L << 20;
    public static final long DEFAULT_PART_SIZE = 20 * MIB;
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_PART_SIZE = 5L << 30;
    public static final int MAX_PARTS = 10_000;
    public static final int DEFAULT_CONNECTIONS = 8;
    public static final int MAX_CONNECTIONS = 1000;

    private PartPlan() {
    }

    /** A part: {@code length} bytes from {@code start}; {@code number} counts from 1. */
    public record Range(int number, long start, long length) {
        public long endInclusive() {
            return start + length - 1;
        }
    }

    /** The part size actually used: the requested one, raised (to whole MiB) so at most 10,000 parts result. */
    public static long effectivePartSize(long objectSize, long requested) {
        if (requested <= 0) {
            throw new IllegalArgumentException("part size must be positive");
        }
        long minForCount = objectSize / MAX_PARTS + (objectSize % MAX_PARTS == 0 ? 0 : 1);
        if (requested >= minForCount) {
            return requested;
        }
        return (minForCount + MIB - 1) / MIB * MIB;
    }

    /**
     * A part size for {@code connections} parallel requests that leaves no connection idle in the last round: the
     * {@linkplain #effectivePartSize effective} size, lowered (to a multiple of 64 KiB, never below 5 MiB or the
     * requested size) until the parts come in whole rounds of {@code connections}. 1 GiB in 20 MiB parts on 8
     * connections is 52 parts, seven rounds of which the last keeps half the connections idle; in 56 parts of
     * 18.3 MiB the seven rounds are full and shorter.
     */
    public static long balancedPartSize(long objectSize, long requested, int connections) {
        long part = effectivePartSize(objectSize, requested);
        if (connections <= 1 || objectSize <= part) {
            return part;
        }
        long parts = (objectSize + part - 1) / part;
        long rounds = (parts + connections - 1) / connections;
        long wanted = rounds * connections;
        if (wanted > MAX_PARTS) {
            return part;
        }
        long even = (objectSize + wanted - 1) / wanted;
        long grain = 64 << 10;
        even = (even + grain - 1) / grain * grain;
        long floor = Math.min(part, MIN_PART_SIZE);
        return Math.min(part, Math.max(even, floor));
    }

    public static List<Range> split(long objectSize, long partSize) {
        if (partSize <= 0) {
            throw new IllegalArgumentException("part size must be positive");
        }
        List<Range> parts = new ArrayList<>();
        int number = 1;
        for (long start = 0; start < objectSize; start += partSize) {
            parts.add(new Range(number++, start, Math.min(partSize, objectSize - start)));
        }
        return parts;
    }
}
