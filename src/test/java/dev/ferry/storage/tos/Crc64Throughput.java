package dev.ferry.storage.tos;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import dev.ferry.storage.Crc64;

/**
 * Measures {@link Crc64} throughput over heap arrays and direct buffers (a benchmark, not a test): TOS
 * downloads may checksum every byte, so it must keep well ahead of the network. Run with
 * {@code java -cp <test-classes>:<classes> dev.ferry.storage.tos.Crc64Throughput [MiB per round]}.
 */
public final class Crc64Throughput {
    private Crc64Throughput() {
    }

    public static void main(String[] args) {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        byte[] chunk = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(chunk);
        ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
        direct.put(chunk).flip();
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            long heapCrc = 0;
            for (int i = 0; i < mib; i++) {
                heapCrc = Crc64.update(heapCrc, chunk, 0, chunk.length);
            }
            long t1 = System.nanoTime();
            long directCrc = 0;
            for (int i = 0; i < mib; i++) {
                directCrc = Crc64.update(directCrc, direct.position(0));
            }
            long t2 = System.nanoTime();
            if (heapCrc != directCrc) {
                throw new AssertionError("heap and direct CRCs differ");
            }
            System.out.printf("round %d: heap %.2f GB/s, direct %.2f GB/s over %d MiB%n", round,
                    gbPerSecond(mib, t1 - t0), gbPerSecond(mib, t2 - t1), mib);
        }
    }

    private static double gbPerSecond(int mib, long nanos) {
        return mib * (double) (1 << 20) / nanos;
    }
}
