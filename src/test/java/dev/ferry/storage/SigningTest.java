package dev.ferry.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class SigningTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] filled(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    /** RFC 4231's HMAC-SHA-256 test cases whose data is text (1, 2, 6, 7; case 5 truncates, 3 and 4 are binary). */
    @Test
    void hmacMatchesRfc4231() {
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                Signing.hmacHex(filled(20, 0x0b), "Hi There"));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Signing.hmacHex("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?"));
        // keys longer than SHA-256's 64-byte block are hashed first
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                Signing.hmacHex(filled(131, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First"));
        assertEquals("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
                Signing.hmacHex(filled(131, 0xaa), "This is a test using a larger than block-size key and a larger "
                        + "than block-size data. The key needs to be hashed before being used by the HMAC algorithm."));
    }

    @Test
    void hmacAgreesWithTheJdkForEveryKeyLengthAroundTheBlock() throws Exception {
        Random random = new Random(42);
        for (int keyLength : new int[]{1, 31, 32, 63, 64, 65, 128, 200}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            String data = "AWS4-HMAC-SHA256\n20261121T000000Z\n" + keyLength + " é ✓";
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            assertArrayEquals(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)), Signing.hmac(key, data),
                    "key of " + keyLength + " bytes");
        }
        // the JDK refuses an empty key; RFC 2104 pads it like any short one (RFC 4231 has no such case)
        assertEquals(HEX.formatHex(Signing.hmac(new byte[64], "x")), Signing.hmacHex(new byte[0], "x"));
    }

    @Test
    void hmacLeavesTheKeyAsItWas() {
        byte[] key = filled(20, 0x0b);
        Signing.hmac(key, "Hi There");
        assertArrayEquals(filled(20, 0x0b), key);
    }
}
