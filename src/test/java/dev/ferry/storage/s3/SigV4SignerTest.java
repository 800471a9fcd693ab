package dev.ferry.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.Signing;

/**
 * Vectors from the AWS S3 API reference, "Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk".
 */
class SigV4SignerTest {
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String HOST = "examplebucket.s3.amazonaws.com";
    private static final Instant WHEN = Instant.parse("2013-05-24T00:00:00Z");
    private static final String CREDENTIAL = "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

    private final SigV4Signer signer = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, null));

    @Test
    void getObjectWithRangeMatchesAwsExample() {
        Map<String, String> out = signer.sign("GET", HOST, "/test.txt", Map.of(), Map.of("Range", "bytes=0-9"),
                SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 " + CREDENTIAL
                + ", SignedHeaders=host;range;x-amz-content-sha256;x-amz-date"
                + ", Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        assertThat(out).containsEntry("x-amz-date", "20130524T000000Z")
                .containsEntry("x-amz-content-sha256", SigV4Signer.EMPTY_SHA256)
                .doesNotContainKey("x-amz-security-token");
    }

    @Test
    void oneSignerAcrossMidnightSignsEachDayWithThatDaysKey() {
        Instant before = Instant.parse("2013-05-23T23:59:59Z");
        Instant after = Instant.parse("2013-05-24T00:00:00Z");
        for (Instant when : new Instant[]{before, after, before}) {
            SigV4Signer fresh = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, null));
            assertThat(signer.sign("GET", HOST, "/test.txt", Map.of(), Map.of(), SigV4Signer.EMPTY_SHA256, when))
                    .isEqualTo(fresh.sign("GET", HOST, "/test.txt", Map.of(), Map.of(), SigV4Signer.EMPTY_SHA256,
                            when));
        }
        // with another day's key cached, the example still signs to its vector
        assertThat(signer.sign("GET", HOST, "/test.txt", Map.of(), Map.of("Range", "bytes=0-9"),
                SigV4Signer.EMPTY_SHA256, WHEN).get("Authorization"))
                .endsWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void listObjectsMatchesAwsExample() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("prefix", "J");
        query.put("max-keys", "2");

        Map<String, String> out = signer.sign("GET", HOST, "/", query, Map.of(), SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 " + CREDENTIAL
                + ", SignedHeaders=host;x-amz-content-sha256;x-amz-date"
                + ", Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    }

    @Test
    void getBucketLifecycleMatchesAwsExample() {
        Map<String, String> out = signer.sign("GET", HOST, "/", Map.of("lifecycle", ""), Map.of(),
                SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out.get("Authorization"))
                .endsWith("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    }

    @Test
    void nullQueryValueSignsLikeEmptyValue() {
        Map<String, String> query = new TreeMap<>();
        query.put("lifecycle", null);

        Map<String, String> out = signer.sign("GET", HOST, "/", query, Map.of(), SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out.get("Authorization"))
                .endsWith("Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    }

    @Test
    void putObjectWithExtraHeadersMatchesAwsExample() {
        Map<String, String> headers = Map.of("Date", "Fri, 24 May 2013 00:00:00 GMT",
                "x-amz-storage-class", "REDUCED_REDUNDANCY");
        String payload = Signing.sha256Hex("Welcome to Amazon S3.");

        Map<String, String> out = signer.sign("PUT", HOST, "/test%24file.text", Map.of(), headers, payload, WHEN);

        assertThat(payload).isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        assertThat(out.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 " + CREDENTIAL
                + ", SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class"
                + ", Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
        assertThat(out).containsEntry("x-amz-content-sha256", payload);
    }

    @Test
    void headerValuesAreTrimmedAndSpacesCollapsed() {
        Map<String, String> out = signer.sign("GET", HOST, "/test.txt", Map.of(),
                Map.of("RANGE", "  bytes=0-9  "), SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out.get("Authorization"))
                .endsWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void everySignedInputChangesTheSignature() {
        String base = signature(signer, "GET", "/test.txt", WHEN);

        assertThat(signature(signer, "HEAD", "/test.txt", WHEN)).isNotEqualTo(base);
        assertThat(signature(signer, "GET", "/test2.txt", WHEN)).isNotEqualTo(base);
        assertThat(signature(signer, "GET", "/test.txt", WHEN.plusSeconds(1))).isNotEqualTo(base);
        SigV4Signer otherRegion = new SigV4Signer("eu-west-1", "s3", new Credentials(ACCESS_KEY, SECRET, null));
        assertThat(signature(otherRegion, "GET", "/test.txt", WHEN)).isNotEqualTo(base);
        SigV4Signer otherSecret = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET + "x", null));
        assertThat(signature(otherSecret, "GET", "/test.txt", WHEN)).isNotEqualTo(base);
    }

    @Test
    void sessionTokenIsSignedAndEmitted() {
        SigV4Signer withToken = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, "token/+="));

        Map<String, String> out = withToken.sign("GET", HOST, "/test.txt", Map.of(), Map.of("Range", "bytes=0-9"),
                SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out).containsEntry("x-amz-security-token", "token/+=");
        assertThat(out.get("Authorization"))
                .contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token")
                .doesNotEndWith("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
        SigV4Signer otherToken = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, "token2"));
        assertThat(signature(otherToken, "GET", "/test.txt", WHEN))
                .isNotEqualTo(signature(withToken, "GET", "/test.txt", WHEN));
    }

    @Test
    void blankSessionTokenIsIgnored() {
        SigV4Signer blank = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, " "));

        Map<String, String> out = blank.sign("GET", HOST, "/test.txt", Map.of(), Map.of("Range", "bytes=0-9"),
                SigV4Signer.EMPTY_SHA256, WHEN);

        assertThat(out).doesNotContainKey("x-amz-security-token");
        assertThat(out.get("Authorization"))
                .endsWith("Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void authorizationNeverContainsTheSecret() {
        SigV4Signer withToken = new SigV4Signer("us-east-1", "s3", new Credentials(ACCESS_KEY, SECRET, "tok"));

        Map<String, String> out = withToken.sign("PUT", HOST, "/a", Map.of("x", "y"), Map.of(),
                SigV4Signer.UNSIGNED_PAYLOAD, WHEN);

        assertThat(out.values()).noneMatch(v -> v.contains(SECRET) || v.contains("K7MDENG"));
        assertThat(out.get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/");
    }

    @Test
    void uriEncodeKeepsOnlyUnreservedCharacters() {
        assertThat(Signing.uriEncode("AZaz09-_.~", true)).isEqualTo("AZaz09-_.~");
        assertThat(Signing.uriEncode("a b", true)).isEqualTo("a%20b");
        assertThat(Signing.uriEncode("a+b*c", true)).isEqualTo("a%2Bb%2Ac");
        assertThat(Signing.uriEncode("$&=?#%", true)).isEqualTo("%24%26%3D%3F%23%25");
        assertThat(Signing.uriEncode("", true)).isEmpty();
    }

    @Test
    void uriEncodeSlashOnlyWhenAsked() {
        assertThat(Signing.uriEncode("dir/sub/file name", false)).isEqualTo("dir/sub/file%20name");
        assertThat(Signing.uriEncode("dir/sub", true)).isEqualTo("dir%2Fsub");
    }

    @Test
    void uriEncodeUsesUtf8WithUpperCaseHex() {
        assertThat(Signing.uriEncode("é", true)).isEqualTo("%C3%A9");
        assertThat(Signing.uriEncode("日本", true)).isEqualTo("%E6%97%A5%E6%9C%AC");
        assertThat(Signing.uriEncode("\uD83D\uDE00", true)).isEqualTo("%F0%9F%98%80");
        assertThat(Signing.uriEncode("\u0001\u007f", true)).isEqualTo("%01%7F");
    }

    @Test
    void canonicalQuerySortsByEncodedName() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("prefix", "J");
        query.put("max-keys", "2");
        query.put("continuation-token", "a b/c+");

        assertThat(SigV4Signer.canonicalQuery(query))
                .isEqualTo("continuation-token=a%20b%2Fc%2B&max-keys=2&prefix=J");
    }

    @Test
    void canonicalQueryPutsANameBeforeLongerNamesItStarts() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("a1", "x");
        query.put("a-b", "y");
        query.put("a", "z");

        assertThat(SigV4Signer.canonicalQuery(query)).isEqualTo("a=z&a-b=y&a1=x");
    }

    @Test
    void canonicalQueryOrdersByCodePointNotCase() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("uploads", "");
        query.put("Zeta", "1");
        query.put("uploadId", "abc");

        assertThat(SigV4Signer.canonicalQuery(query)).isEqualTo("Zeta=1&uploadId=abc&uploads=");
    }

    @Test
    void canonicalQueryOfNothingIsEmpty() {
        assertThat(SigV4Signer.canonicalQuery(Map.of())).isEmpty();
    }

    @Test
    void sha256OfNothingIsTheEmptyConstant() {
        assertThat(Signing.sha256Hex("")).isEqualTo(SigV4Signer.EMPTY_SHA256);
    }

    private static String signature(SigV4Signer s, String method, String path, Instant when) {
        String auth = s.sign(method, HOST, path, Map.of(), Map.of(), SigV4Signer.EMPTY_SHA256, when)
                .get("Authorization");
        return auth.substring(auth.indexOf("Signature=") + "Signature=".length());
    }
}
