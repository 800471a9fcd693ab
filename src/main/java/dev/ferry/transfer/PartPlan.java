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
