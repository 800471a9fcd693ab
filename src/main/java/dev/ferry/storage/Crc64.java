package dev.ferry.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.Checksum;

/**
 * CRC-64/XZ, the checksum Volcengine TOS reports in {@code x-tos-hash-crc64ecma}: the ECMA-182 polynomial,
 * bit-reflected, with all-ones initial value and final xor. The header carries it as an unsigned decimal.
 *
 * <p>Updates run eight bytes per step (slicing-by-8), since every downloaded byte may pass through here.
 * {@link #combine(long, long, long)} joins the CRCs of two adjacent pieces without their bytes, so parts
 * fetched in parallel can be checksummed independently. An instance is not thread-safe; the static
 * methods are.
 */
public final class Crc64 implements Checksum {
    /** The response header that carries an object's CRC-64, as an unsigned decimal. */
    public static final String HEADER = "x-tos-hash-crc64ecma";
    /** ECMA-182 polynomial 0x42F0E1EBA9EA3693, bit-reversed. */
    static final long POLY = 0xC96C5795D7870F42L;

    /** Eight tables of 256: table k advances a byte through k further zero bytes. */
    private static final long[] TABLE = tables();
    /** x^(2^n) mod P, for combining. */
    private static final long[] X2N = powersOfX();
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc;

    @Override
    public void update(int b) {
        crc = update(crc, new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        crc = update(crc, b, off, len);
    }

    /** Consumes the buffer's remaining bytes (heap or direct) and moves its position to its limit. */
    @Override
    public void update(ByteBuffer buffer) {
        crc = update(crc, buffer);
    }

    /** The CRC of everything consumed since the last reset: a signed view of the unsigned 64-bit value. */
    @Override
    public long getValue() {
        return crc;
    }

    @Override
    public void reset() {
        crc = 0;
    }

    /** The CRC of {@code data}. */
    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /**
     * Continues {@code crc} (the finished CRC of the bytes before, 0 for none) over {@code len} bytes of
     * {@code b} from {@code off}.
     */
    public static long update(long crc, byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long c = ~crc;
        int i = off;
        int end = off + len;
        for (int stop = end - 7; i < stop; i += 8) {
            c ^= (long) LONG_LE.get(b, i);
            c = step8(c);
        }
        for (; i < end; i++) {
            c = TABLE[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }

    /** Continues {@code crc} over the buffer's remaining bytes, moving its position to its limit. */
    public static long update(long crc, ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int pos = buffer.position();
            int len = buffer.remaining();
            long result = update(crc, buffer.array(), buffer.arrayOffset() + pos, len);
            buffer.position(pos + len);
            return result;
        }
        // a view in little-endian order, so the caller's buffer keeps its own byte order
        ByteBuffer le = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int len = le.remaining();
        long c = ~crc;
        int i = 0;
        for (int stop = len - 7; i < stop; i += 8) {
            c ^= le.getLong(i);
            c = step8(c);
        }
        for (; i < len; i++) {
            c = TABLE[(int) (c ^ le.get(i)) & 0xff] ^ (c >>> 8);
        }
        buffer.position(buffer.position() + len);
        return ~c;
    }

    private static long step8(long c) {
        return TABLE[7 * 256 + ((int) c & 0xff)]
                ^ TABLE[6 * 256 + ((int) (c >>> 8) & 0xff)]
                ^ TABLE[5 * 256 + ((int) (c >>> 16) & 0xff)]
                ^ TABLE[4 * 256 + ((int) (c >>> 24) & 0xff)]
                ^ TABLE[3 * 256 + ((int) (c >>> 32) & 0xff)]
                ^ TABLE[2 * 256 + ((int) (c >>> 40) & 0xff)]
                ^ TABLE[256 + ((int) (c >>> 48) & 0xff)]
                ^ TABLE[(int) (c >>> 56)];
    }

    /**
     * The CRC of the concatenation of two pieces, from the pieces' CRCs and the second piece's length
     * (zlib's {@code crc32_combine}, in 64 bits): O(log len2) carry-less multiplications, no data.
     */
    public static long combine(long crc1, long crc2, long len2) {
        if (len2 < 0) {
            throw new IllegalArgumentException("length must not be negative: " + len2);
        }
        if (len2 == 0) {
            return crc1; // an empty second piece has CRC 0 and changes nothing
        }
        return multiplyModP(xPow8n(len2), crc1) ^ crc2;
    }

    /** The header's unsigned decimal form of a CRC. */
    public static String format(long crc) {
        return Long.toUnsignedString(crc);
    }

    /**
     * Parses the header's unsigned decimal (surrounding spaces allowed).
     *
     * @throws NumberFormatException when the text is not an unsigned decimal of at most 64 bits
     */
    public static long parse(String decimal) {
        if (decimal == null) {
            throw new NumberFormatException("no CRC-64 value");
        }
        String s = decimal.strip();
        if (s.isEmpty() || s.length() > 20 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new NumberFormatException("not an unsigned 64-bit decimal CRC: '" + decimal + "'");
        }
        return Long.parseUnsignedLong(s); // throws for values of 2^64 and more
    }

    /** The CRC-64 among an object's checksums ({@link ObjectInfo#checksums()}), when present and readable. */
    public static OptionalLong from(Map<String, String> checksums) {
        String value = checksums.get(HEADER);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(parse(value));
        } catch (NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }

    // ---------------------------------------------------------------- tables and GF(2) arithmetic

    private static long[] tables() {
        long[] t = new long[8 * 256];
        for (int n = 0; n < 256; n++) {
            long c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
            }
            t[n] = c;
        }
        for (int n = 0; n < 256; n++) {
            long c = t[n];
            for (int k = 1; k < 8; k++) {
                c = t[(int) c & 0xff] ^ (c >>> 8);
                t[k * 256 + n] = c;
            }
        }
        return t;
    }

    /**
     * a(x) * b(x) mod P(x), polynomials in the reflected representation (the top bit is the x^0
     * coefficient), as zlib's {@code multmodp}.
     */
    private static long multiplyModP(long a, long b) {
        long m = 1L << 63;
        long p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) {
                    return p;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
    }

    private static long[] powersOfX() {
        long[] table = new long[64];
        long p = 1L << 62; // x^1
        table[0] = p;
        for (int n = 1; n < 64; n++) {
            p = multiplyModP(p, p);
            table[n] = p;
        }
        return table;
    }

    /** x^(8 * bytes) mod P: the operator that shifts a CRC past {@code bytes} zero bytes. */
    private static long xPow8n(long bytes) {
        long p = 1L << 63; // x^0
        int k = 3; // 8 = 2^3 bits per byte
        for (long n = bytes; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) {
                p = multiplyModP(X2N[k & 63], p);
            }
        }
        return p;
    }
}
