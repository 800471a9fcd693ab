package dev.ferry.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

import dev.ferry.storage.ObjectInfo;

/**
 * Whole-object verification of a finished temp file against what the server says the object is:
 * a full-object {@code x-amz-checksum-*} value (CRC32C, CRC32, SHA-256, SHA-1), else an ETag that is the
 * content's MD5.
 */
final class Verifier {
    /** The outcome: {@code checked} says whether anything could be verified. */
    record Outcome(boolean checked, boolean ok, String what) {
    }

    private Verifier() {
    }

    static Outcome verify(ObjectInfo info, FileChannel file) throws IOException {
        // composite checksums (of part checksums, with a "-N" suffix) cannot be checked without the parts
        boolean fullObject = "FULL_OBJECT".equalsIgnoreCase(
                info.checksums().getOrDefault("x-amz-checksum-type", "FULL_OBJECT"));
        for (String algorithm : new String[]{"crc32c", "crc32", "sha256", "sha1"}) {
            String expected = info.checksums().get("x-amz-checksum-" + algorithm);
            if (!fullObject || expected == null || expected.contains("-")) {
                continue;
            }
            String actual = Base64.getEncoder().encodeToString(digest(algorithm, file));
            return new Outcome(true, actual.equals(expected), algorithm.toUpperCase(Locale.ROOT) + " " + expected);
        }
        if (info.etagIsMd5()) {
            String actual = HexFormat.of().formatHex(digest("md5", file));
            String expected = info.bareEtag().toLowerCase(Locale.ROOT);
            return new Outcome(true, actual.equals(expected), "MD5 " + expected);
        }
        return new Outcome(false, true, "no whole-object checksum available");
    }

    static byte[] digest(String algorithm, FileChannel file) throws IOException {
        ByteBuffer buf = Buffers.take();
        try {
            return digest(algorithm, file, buf);
        } finally {
            Buffers.give(buf);
        }
    }

    private static byte[] digest(String algorithm, FileChannel file, ByteBuffer buf) throws IOException {
        switch (algorithm) {
            case "crc32c", "crc32" -> {
                Checksum c = algorithm.equals("crc32c") ? new CRC32C() : new CRC32();
                long pos = 0;
                while (read(file, buf, pos) > 0) {
                    pos += buf.remaining();
                    c.update(buf);
                }
                long v = c.getValue();
                return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            }
            default -> {
                MessageDigest md;
                try {
                    md = MessageDigest.getInstance(switch (algorithm) {
                        case "sha256" -> "SHA-256";
                        case "sha1" -> "SHA-1";
                        default -> "MD5";
                    });
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                long pos = 0;
                while (read(file, buf, pos) > 0) {
                    pos += buf.remaining();
                    md.update(buf);
                }
                return md.digest();
            }
        }
    }

    private static int read(FileChannel file, ByteBuffer buf, long pos) throws IOException {
        buf.clear();
        int total = 0;
        while (buf.hasRemaining()) {
            int n = file.read(buf, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        buf.flip();
        return total;
    }
}
