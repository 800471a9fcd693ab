package dev.ferry.storage.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.ferry.storage.Signing;
import dev.ferry.storage.s3.Credentials;

/**
 * TOS4-HMAC-SHA256 against the vectors of the TOS SDKs' own tests (Go {@code sign_v4_test.go}, Python
 * {@code test_auth.py} and {@code test_base_func.py}): canonical request, string to sign and signature.
 */
class TosSignerTest {
    private static final Credentials GO_KEYS =
            new Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
    private static final Instant GO_TIME = Instant.parse("2021-07-21T10:44:54Z");
    private static final Instant PY_TIME = Instant.parse("2021-01-01T00:00:00Z");
    private static final String PY_HOST = "bkt.tos-cn-beijing.volces.com";

    private static TosSigner signer(String region, Credentials credentials, Instant at) {
        return new TosSigner(region, credentials, Clock.fixed(at, ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------ V1, V2 (Go)

    @Test
    void v1GoQueryAuth() {
        TosSigner.Presigned p = signer("cn-north-1", GO_KEYS, GO_TIME).presignQuery("GET", "test.tos.com:8080",
                "/test.txt", Map.of(), Map.of(), Duration.ofHours(1), GO_TIME);

        assertThat(p.signature().canonicalRequest()).isEqualTo("""
                GET
                /test.txt
                X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Credential=AKIAIOSFODNN7EXAMPLE%2F20210721%2Fcn-north-1%2Ftos\
                %2Frequest&X-Tos-Date=20210721T104454Z&X-Tos-Expires=3600&X-Tos-SignedHeaders=host
                host:test.tos.com:8080

                host
                UNSIGNED-PAYLOAD""");
        assertThat(p.signature().stringToSign()).isEqualTo("""
                TOS4-HMAC-SHA256
                20210721T104454Z
                20210721/cn-north-1/tos/request
                307289ef0a01e9e31482342d84a78e039b891a017183113bdd7cd98adcef4868""");
        assertThat(p.query())
                .containsEntry("X-Tos-Signature", "decc75e2b2d453117f81e53954eb2cd3a2f56db2951e9b2257863db4c4921111")
                .containsEntry("X-Tos-SignedHeaders", "host")
                .containsEntry("X-Tos-Credential", "AKIAIOSFODNN7EXAMPLE/20210721/cn-north-1/tos/request")
                .containsEntry("X-Tos-Expires", "3600")
                .containsEntry("X-Tos-Algorithm", "TOS4-HMAC-SHA256")
                .containsEntry("X-Tos-Date", "20210721T104454Z")
                .doesNotContainKey("X-Tos-Security-Token");
    }

    @Test
    void v1ThroughTheClockAndTheDefaultLifetime() {
        Map<String, String> q = signer("cn-north-1", GO_KEYS, GO_TIME).presignQuery("GET", "test.tos.com:8080",
                "/test.txt", Map.of(), Map.of(), TosSigner.DEFAULT_EXPIRES);
        assertThat(q.get("X-Tos-Signature")).isEqualTo("decc75e2b2d453117f81e53954eb2cd3a2f56db2951e9b2257863db4c4921111");
    }

    @Test
    void v2GoHeaderAuth() {
        TosSigner s = signer("cn-north-1", GO_KEYS, GO_TIME);
        TosSigner.Signature sig = s.headerSignature("GET", "test.tos.com:8080", "/test.txt", Map.of(), Map.of(),
                null, GO_TIME);

        assertThat(sig.canonicalRequest()).isEqualTo("""
                GET
                /test.txt

                host:test.tos.com:8080
                x-tos-date:20210721T104454Z

                host;x-tos-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        Map<String, String> headers = s.signHeaders("GET", "test.tos.com:8080", "/test.txt", Map.of(), Map.of(), null);
        assertThat(headers).containsExactly(
                Map.entry("X-Tos-Date", "20210721T104454Z"),
                Map.entry("Authorization", "TOS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20210721/cn-north-1/tos"
                        + "/request,SignedHeaders=host;x-tos-date,"
                        + "Signature=3453b54ecfc50e6ed3fc15cbdb82f8a18d644063302080fb18ee10daa4f1a23f"));
        assertThat(headers).doesNotContainKey("X-Tos-Content-Sha256");
    }

    @Test
    void oneSignerAcrossMidnightSignsEachDayWithThatDaysKey() {
        TosSigner s = signer("cn-north-1", GO_KEYS, GO_TIME);
        Instant before = Instant.parse("2021-07-20T23:59:59Z");
        Instant after = Instant.parse("2021-07-21T00:00:00Z");
        for (Instant when : new Instant[]{before, after, before, GO_TIME}) {
            TosSigner fresh = signer("cn-north-1", GO_KEYS, when);
            assertThat(s.authorizationHeaders(s.headerSignature("GET", "test.tos.com:8080", "/test.txt", Map.of(),
                    Map.of(), null, when)))
                    .isEqualTo(fresh.signHeaders("GET", "test.tos.com:8080", "/test.txt", Map.of(), Map.of(), null));
        }
    }

    // ------------------------------------------------------------------ V3-V6 (Python, query auth)

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "V3, GET, false, false, 86400, b87788cb98d1a5a91a046d20eb212ffc22cf7cd4c1d4e9bd2d15a989afb97d2f",
            "V4, PUT, true, false, 3600, 3041fb481e31ec25fe7a1be44cafe25caf1cd97228710ee440b2ca1bd49bc563",
            "V5, PUT, true, true, 3600, 51c89070206dd438fd8be1ed201a77335af80e33cad5fd408841590b99aa93d3",
            "V6, GET, false, false, 704800, 087f3eb174b6accb37178630ba5890d7d8bc8a33495e25959dc359dc4b0f1170"})
    void pythonQueryAuth(String name, String method, boolean sts, boolean acl, long expires, String expected) {
        Credentials keys = new Credentials("ak", "sk", sts ? "sts" : null);
        Map<String, String> query = acl ? Map.of("acl", "") : Map.of();
        TosSigner.Presigned p = signer("beijing", keys, PY_TIME).presignQuery(method, PY_HOST, "/key", query,
                Map.of(), Duration.ofSeconds(expires), PY_TIME);

        assertThat(p.query().get("X-Tos-Signature")).isEqualTo(expected);
        assertThat(p.query().get("X-Tos-Expires")).isEqualTo(Long.toString(expires));
        if (sts) {
            assertThat(p.query()).containsEntry("X-Tos-Security-Token", "sts");
        }
    }

    @Test
    void v3FullUrl() {
        TosSigner.Presigned p = signer("beijing", new Credentials("ak", "sk", null), PY_TIME).presignQuery("GET",
                PY_HOST, "/key", Map.of(), Map.of(), Duration.ofSeconds(86400), PY_TIME);
        String url = "https://" + PY_HOST + Signing.uriEncode("/key", false) + "?"
                + TosSigner.presignedQueryString(p.query());
        assertThat(url).isEqualTo("https://bkt.tos-cn-beijing.volces.com/key?X-Tos-Algorithm=TOS4-HMAC-SHA256"
                + "&X-Tos-Credential=ak%2F20210101%2Fbeijing%2Ftos%2Frequest&X-Tos-Date=20210101T000000Z"
                + "&X-Tos-Expires=86400&X-Tos-SignedHeaders=host"
                + "&X-Tos-Signature=b87788cb98d1a5a91a046d20eb212ffc22cf7cd4c1d4e9bd2d15a989afb97d2f");
    }

    @Test
    void v5CanonicalQuerySortsRawNamesInByteOrder() {
        TosSigner.Presigned p = signer("beijing", new Credentials("ak", "sk", "sts"), PY_TIME).presignQuery("PUT",
                PY_HOST, "/key", Map.of("acl", ""), Map.of(), Duration.ofSeconds(3600), PY_TIME);
        String canonicalQuery = p.signature().canonicalRequest().split("\n")[2];
        assertThat(canonicalQuery).isEqualTo("X-Tos-Algorithm=TOS4-HMAC-SHA256"
                + "&X-Tos-Credential=ak%2F20210101%2Fbeijing%2Ftos%2Frequest&X-Tos-Date=20210101T000000Z"
                + "&X-Tos-Expires=3600&X-Tos-Security-Token=sts&X-Tos-SignedHeaders=host&acl=");
    }

    // ------------------------------------------------------------------ V7 (Python, header auth with STS)

    @Test
    void v7HeaderAuthWithStsAndContentType() {
        TosSigner s = signer("region", new Credentials("ak", "sk", "sts"), PY_TIME);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("host", "zzz.com");
        TosSigner.Signature sig = s.headerSignature("GET", "zzz.com", "key", Map.of("versionId", "test"), headers,
                TosSigner.UNSIGNED_PAYLOAD, PY_TIME);

        assertThat(sig.canonicalRequest()).isEqualTo("""
                GET
                key
                versionId=test
                content-type:application/json
                host:zzz.com
                x-tos-date:20210101T000000Z
                x-tos-security-token:sts

                content-type;host;x-tos-date;x-tos-security-token
                UNSIGNED-PAYLOAD""");
        assertThat(sig.value()).isEqualTo("ca8eb8987663e61e740bc5be9078d6d4f716990573a56c86a6602d42faf3af7e");
        assertThat(sig.credential()).isEqualTo("ak/20210101/region/tos/request");
        assertThat(sig.signedHeaders()).isEqualTo("content-type;host;x-tos-date;x-tos-security-token");
        assertThat(s.authorizationHeaders(sig)).containsEntry("X-Tos-Security-Token", "sts")
                .containsEntry("X-Tos-Date", "20210101T000000Z")
                .containsEntry("Authorization", "TOS4-HMAC-SHA256 Credential=ak/20210101/region/tos/request,"
                        + "SignedHeaders=content-type;host;x-tos-date;x-tos-security-token,"
                        + "Signature=ca8eb8987663e61e740bc5be9078d6d4f716990573a56c86a6602d42faf3af7e");
    }

    // ------------------------------------------------------------------ encoding and header choice

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            23i23+___   | true  | 23i23%2B___
            '23i23 ___' | true  | 23i23%20___
            '23i23 /___'| true  | 23i23%20%2F___
            '23i23 /___'| false | 23i23%20/___
            /中文测试/     | true  | %2F%E4%B8%AD%E6%96%87%E6%B5%8B%E8%AF%95%2F
            AZaz09-_.~  | true  | AZaz09-_.~
            '%*'        | true  | %25%2A
            """)
    void uriEncodeAsTheSdks(String input, boolean encodeSlash, String expected) {
        assertThat(Signing.uriEncode(input, encodeSlash)).isEqualTo(expected);
    }

    @Test
    void signsContentTypeAndEveryTosHeaderButNotOthers() {
        TosSigner s = signer("cn-beijing", new Credentials("ak", "sk", null), PY_TIME);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Range", "bytes=0-9");
        headers.put("If-Match", "\"e\"");
        headers.put("Content-Type", "application/json");
        headers.put("X-Tos-Copy-Source", "/b/k");
        headers.put("x-tos-traffic-limit", "  819200  ");
        TosSigner.Signature sig = s.headerSignature("PUT", "h", "/k", Map.of(), headers, null, PY_TIME);

        assertThat(sig.signedHeaders()).isEqualTo("content-type;host;x-tos-copy-source;x-tos-date;x-tos-traffic-limit");
        assertThat(sig.canonicalRequest()).contains("x-tos-traffic-limit:819200\n").doesNotContain("range");
    }

    @Test
    void payloadHashComesFromTheContentSha256HeaderWhenGiven() {
        TosSigner s = signer("cn-beijing", new Credentials("ak", "sk", null), PY_TIME);
        String hash = "0000000000000000000000000000000000000000000000000000000000000001";
        TosSigner.Signature sig = s.headerSignature("POST", "h", "/k", Map.of(),
                Map.of("X-Tos-Content-Sha256", hash), null, PY_TIME);
        assertThat(sig.canonicalRequest()).endsWith("\n" + hash).contains("x-tos-content-sha256:" + hash);
    }

    @Test
    void canonicalQueryEncodesNamesAndValuesAndSortsByBytes() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("prefix", "a b/c");
        q.put("continuation-token", "x+y=");
        q.put("Z", "1");
        q.put("uploads", "");
        assertThat(TosSigner.canonicalQuery(q)).isEqualTo("Z=1&continuation-token=x%2By%3D&prefix=a%20b%2Fc&uploads=");
    }

    @Test
    void emptyPathSignsAsSlash() {
        TosSigner s = signer("cn-beijing", new Credentials("ak", "sk", null), PY_TIME);
        assertThat(s.headerSignature("GET", "h", "", Map.of(), Map.of(), null, PY_TIME).canonicalRequest())
                .startsWith("GET\n/\n");
    }

    @Test
    void presignRefusesANonPositiveLifetime() {
        TosSigner s = signer("cn-beijing", new Credentials("ak", "sk", null), PY_TIME);
        assertThatThrownBy(() -> s.presignQuery("GET", "h", "/k", Map.of(), Map.of(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
