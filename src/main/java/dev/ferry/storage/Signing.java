package dev.ferry.storage;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/** What S3's SigV4 and TOS's TOS4 signing have in common: their URI encoding, HMAC-SHA256 and SHA-256 in hex. */
public final class Signing {
    private static final HexFormat HEX = HexFormat.of();
    /** SHA-256's block size in bytes, the length HMAC pads its key to. */
    private static final int BLOCK = 64;
    private static final byte INNER_PAD = 0x36;
    private static final byte OUTER_PAD = 0x5c;

    private Signing() {
    }

    /**
     * Percent-encodes every byte of the UTF-8 form except {@code A-Z a-z 0-9 - _ . ~}, in upper-case hex;
     * {@code /} is kept unless {@code encodeSlash}.
     */
    public static String uriEncode(String s, boolean encodeSlash) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /**
     * HMAC-SHA256 (RFC 2104) of the UTF-8 form of {@code data}, built on the SHA-256 digest. The JDK's
     * {@code javax.crypto.Mac} gives the same bytes, but its first use sets up the cryptography framework (the
     * providers, the crypto policy files), some 16 ms on the way to a command-line run's first signed request.
     */
    public static byte[] hmac(byte[] key, String data) {
        MessageDigest sha = sha256();
        byte[] padded = new byte[BLOCK];
        byte[] k = key.length > BLOCK ? sha.digest(key) : key;
        System.arraycopy(k, 0, padded, 0, k.length);
        for (int i = 0; i < BLOCK; i++) {
            padded[i] ^= INNER_PAD;
        }
        sha.update(padded);
        byte[] inner = sha.digest(data.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < BLOCK; i++) {
            padded[i] ^= INNER_PAD ^ OUTER_PAD;
        }
        sha.update(padded);
        byte[] out = sha.digest(inner);
        Arrays.fill(padded, (byte) 0);
        return out;
    }

    /** HMAC-SHA256 of {@code data} in lower-case hex: a request's signature. */
    public static String hmacHex(byte[] key, String data) {
        return HEX.formatHex(hmac(key, data));
    }

    public static String sha256Hex(byte[] data) {
        return HEX.formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    public static String sha256Hex(String data) {
        return sha256Hex(data.getBytes(StandardCharsets.UTF_8));
    }
}
