package dev.ferry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CRC-64/XZ as TOS reports it. Vectors from the TOS Java SDK's CRC64Test and the CRC catalogue's check value;
 * the property tests compare the fast paths and {@code combine} against a bit-at-a-time reference.
 */
class Crc64Test {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The textbook definition, one bit at a time: what the tables must agree with. */
    private static long reference(byte[] data, int off, int len) {
        long c = -1L;
        for (int i = off; i < off + len; i++) {
            c ^= data[i] & 0xffL;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xC96C5795D7870F42L : c >>> 1;
            }
        }
        return ~c;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0123456789ABCDEFGabcdefg                | 15873236020828532839
            This is a test of the crc64 algorithm.  | 4479640849766114640
            中文测试&*（#*¥&（（fjwdeoh                   | 324545339191807349
            123456789                               | 11051210869376104954
            """)
    void sdkVectorsAndCheckValue(String input, String expected) {
        long crc = Crc64.of(utf8(input));
        assertThat(Crc64.format(crc)).isEqualTo(expected);
        assertThat(Crc64.parse(expected)).isEqualTo(crc);
    }

    @Test
    void signedJavaViewOfTheFirstVector() {
        assertThat(Crc64.of(utf8("0123456789ABCDEFGabcdefg"))).isEqualTo(-2573508052881018777L)
                .isEqualTo(0xDC49100F996B7067L);
        assertThat(Crc64.of(utf8("This is a test of the crc64 algorithm."))).isEqualTo(0x3E2AE19E63A36550L);
        assertThat(Crc64.of(utf8("123456789"))).isEqualTo(0x995DC9BBDF1939FAL);
    }

    @Test
    void emptyInputIsZero() {
        assertThat(Crc64.of(new byte[0])).isZero();
        Crc64 c = new Crc64();
        c.update(new byte[0], 0, 0);
        assertThat(c.getValue()).isZero();
        assertThat(Crc64.format(0)).isEqualTo("0");
    }

    @Test
    void combineMatchesTheSdkVector() {
        byte[] data1 = utf8("0123456789ABCDEFGabcdefg");
        byte[] data2 = utf8("This is a test of the crc64 algorithm.");
        assertThat(data2).hasSize(38);
        byte[] both = utf8("0123456789ABCDEFGabcdefgThis is a test of the crc64 algorithm.");

        long combined = Crc64.combine(Crc64.of(data1), Crc64.of(data2), data2.length);

        assertThat(Crc64.format(combined)).isEqualTo("3359872633686207974");
        assertThat(combined).isEqualTo(Crc64.of(both));
    }

    @Test
    void combiningWithAnEmptyPieceKeepsTheFirstCrc() {
        long x = Crc64.of(utf8("0123456789ABCDEFGabcdefg"));
        long y = Crc64.of(utf8("This is a test of the crc64 algorithm."));
        assertThat(Crc64.combine(x, y, 0)).isEqualTo(x);
        assertThat(Crc64.combine(x, 0, 0)).isEqualTo(x);
        assertThat(Crc64.combine(0, y, 38)).isEqualTo(y); // an empty first piece
    }

    @Test
    void negativeLengthIsRefused() {
        assertThatThrownBy(() -> Crc64.combine(1, 2, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tablesAgreeWithTheBitwiseDefinitionAtEveryLengthAndAlignment() {
        byte[] data = new byte[300];
        new SplittableRandom(42).nextBytes(data);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; off + len <= data.length; len += (len < 40 ? 1 : 37)) {
                assertThat(Crc64.update(0, data, off, len)).as("off %d len %d", off, len)
                        .isEqualTo(reference(data, off, len));
            }
        }
    }

    @Test
    void randomSplitsCombineToTheWhole() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            byte[] data = new byte[random.nextInt(0, 5000)];
            random.nextBytes(data);
            long whole = Crc64.of(data);
            // cut into 1..8 pieces at random places, checksum each alone, then combine left to right
            int pieces = random.nextInt(1, 9);
            int[] cuts = random.ints(pieces - 1, 0, data.length + 1).sorted().toArray();
            long crc = 0;
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : data.length;
                long piece = Crc64.update(0, data, from, to - from);
                crc = Crc64.combine(crc, piece, to - from);
                from = to;
            }
            assertThat(crc).as("round %d, %d bytes, cuts %s", round, data.length, java.util.Arrays.toString(cuts))
                    .isEqualTo(whole);
        }
    }

    @Test
    void combineHandlesLengthsBeyondAnArray() {
        // CRC(A + Z) where Z is n zero bytes: update over zeros once, compare with combine of CRC(Z)
        byte[] a = utf8("prefix");
        byte[] zeros = new byte[1 << 20];
        long zerosCrc = Crc64.of(zeros);
        long viaUpdate = Crc64.update(Crc64.of(a), zeros, 0, zeros.length);
        assertThat(Crc64.combine(Crc64.of(a), zerosCrc, zeros.length)).isEqualTo(viaUpdate);
        // associativity across a length beyond 2^32 (as a multi-GiB object's parts would need)
        long big = (1L << 32) + 12345;
        long x = 0x0123456789ABCDEFL;
        long y = 0x7EDCBA9876543210L;
        long z = 0x1111222233334444L;
        long left = Crc64.combine(Crc64.combine(x, y, big), z, 77);
        long right = Crc64.combine(x, Crc64.combine(y, z, 77), big + 77);
        assertThat(left).isEqualTo(right);
    }

    @Test
    void incrementalUpdatesEqualOneShot() {
        byte[] data = new byte[10_000];
        new SplittableRandom(3).nextBytes(data);
        Crc64 c = new Crc64();
        int i = 0;
        SplittableRandom r = new SplittableRandom(4);
        while (i < data.length) {
            int n = Math.min(data.length - i, r.nextInt(0, 100));
            if (n == 1) {
                c.update(data[i]);
            } else {
                c.update(data, i, n);
            }
            i += n;
        }
        assertThat(c.getValue()).isEqualTo(Crc64.of(data));
        c.reset();
        assertThat(c.getValue()).isZero();
    }

    @Test
    void byteBuffersHeapDirectAndReadOnlyAgreeAndAreConsumed() {
        byte[] data = new byte[4099];
        new SplittableRandom(5).nextBytes(data);
        long expected = Crc64.update(0, data, 3, data.length - 3);

        ByteBuffer heap = ByteBuffer.wrap(data);
        heap.position(3);
        assertThat(Crc64.update(0, heap)).isEqualTo(expected);
        assertThat(heap.hasRemaining()).isFalse();

        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).order(ByteOrder.BIG_ENDIAN);
        direct.put(data).flip().position(3);
        Crc64 c = new Crc64();
        c.update(direct);
        assertThat(c.getValue()).isEqualTo(expected);
        assertThat(direct.position()).isEqualTo(data.length);
        assertThat(direct.order()).isEqualTo(ByteOrder.BIG_ENDIAN);

        ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
        readOnly.position(3);
        assertThat(Crc64.update(0, readOnly)).isEqualTo(expected);

        // a slice whose array offset is not zero
        ByteBuffer slice = ByteBuffer.wrap(data, 1, data.length - 1).slice();
        slice.position(2);
        assertThat(Crc64.update(0, slice)).isEqualTo(expected);
    }

    @Test
    void parseAcceptsTheWholeUnsignedRangeAndRefusesTheRest() {
        assertThat(Crc64.parse("18446744073709551615")).isEqualTo(-1L);
        assertThat(Crc64.parse(" 0 ")).isZero();
        assertThat(Crc64.format(-1L)).isEqualTo("18446744073709551615");
        for (String bad : new String[]{"", " ", "-1", "+1", "18446744073709551616", "0x10", "1.0", "abc",
                "123456789012345678901"}) {
            assertThatThrownBy(() -> Crc64.parse(bad)).as(bad).isInstanceOf(NumberFormatException.class);
        }
        assertThatThrownBy(() -> Crc64.parse(null)).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void readsTheCrcAmongAnObjectsChecksums() {
        assertThat(Crc64.from(Map.of(Crc64.HEADER, "15873236020828532839")))
                .isEqualTo(OptionalLong.of(0xDC49100F996B7067L));
        assertThat(Crc64.from(Map.of())).isEmpty();
        assertThat(Crc64.from(Map.of(Crc64.HEADER, "garbage"))).isEmpty();
    }
}
