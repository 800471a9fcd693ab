package dev.ferry.testing.tos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ferry.storage.Signing;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.tos.TosSigner;

/**
 * The test server's own signature check: it accepts the SDK vectors' requests as they would arrive, accepts
 * what the client's signer produces, and refuses tampering, scopes for another day, region or service, stale
 * dates, unsigned x-tos headers and bodies that do not match their declared hash.
 */
class TosAuthVerifierTest {
    private static final Instant GO_TIME = Instant.parse("2021-07-21T10:44:54Z");
    private static final Instant PY_TIME = Instant.parse("2021-01-01T00:00:00Z");
    private static final Credentials GO_KEYS =
            new Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
    private static final Credentials KEYS = new Credentials("ak", "sk", null);
    private static final Instant NOW = Instant.parse("2025-07-01T10:00:00Z");

    private static TosAuthVerifier verifier(String region, Credentials keys, Instant now) {
        return new TosAuthVerifier(region, "tos", id -> id.equals(keys.accessKeyId()) ? keys : null,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static WireRequest request(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                       byte[] body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), List.of(v)));
        return new WireRequest(method, rawPath, rawQuery, h, body);
    }

    /** A request the client's signer signed, as it would arrive. */
    private static WireRequest signed(Credentials keys, String region, Instant at, String method, String path,
                                      Map<String, String> query, Map<String, String> headers, byte[] body) {
        TosSigner signer = new TosSigner(region, keys, Clock.fixed(at, ZoneOffset.UTC));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Host", "bkt.tos-cn-beijing.volces.com");
        all.putAll(signer.signHeaders(method, "bkt.tos-cn-beijing.volces.com", path, query, headers, null));
        return request(method, Signing.uriEncode(path, false), TosSigner.canonicalQuery(query), all, body);
    }

    private static TosError refusal(TosAuthVerifier v, WireRequest r) {
        return catchThrowableOfType(TosError.class, () -> v.verify(r));
    }

    // ------------------------------------------------------------------ the SDK vectors, as they arrive

    @Test
    void acceptsV2GoHeaderAuth() {
        WireRequest r = request("GET", "/test.txt", null, Map.of("Host", "test.tos.com:8080",
                "X-Tos-Date", "20210721T104454Z",
                "Authorization", "TOS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20210721/cn-north-1/tos/request,"
                        + "SignedHeaders=host;x-tos-date,"
                        + "Signature=3453b54ecfc50e6ed3fc15cbdb82f8a18d644063302080fb18ee10daa4f1a23f"), new byte[0]);
        assertThat(verifier("cn-north-1", GO_KEYS, GO_TIME).verify(r).presigned()).isFalse();
    }

    @Test
    void acceptsV7PythonHeaderAuthWithStsAndSpacedSeparators() {
        Credentials sts = new Credentials("ak", "sk", "sts");
        WireRequest r = request("GET", "key", "versionId=test", Map.of("Host", "zzz.com",
                "Content-Type", "application/json", "X-Tos-Date", "20210101T000000Z", "X-Tos-Security-Token", "sts",
                "Authorization", "TOS4-HMAC-SHA256 Credential=ak/20210101/region/tos/request, "
                        + "SignedHeaders=content-type;host;x-tos-date;x-tos-security-token, "
                        + "Signature=ca8eb8987663e61e740bc5be9078d6d4f716990573a56c86a6602d42faf3af7e"), new byte[0]);
        assertThat(verifier("region", sts, PY_TIME).verify(r).accessKeyId()).isEqualTo("ak");
    }

    @Test
    void acceptsV1AndV3PresignedUrls() {
        WireRequest v1 = request("GET", "/test.txt", "X-Tos-Algorithm=TOS4-HMAC-SHA256"
                + "&X-Tos-Credential=AKIAIOSFODNN7EXAMPLE%2F20210721%2Fcn-north-1%2Ftos%2Frequest"
                + "&X-Tos-Date=20210721T104454Z&X-Tos-Expires=3600&X-Tos-SignedHeaders=host"
                + "&X-Tos-Signature=decc75e2b2d453117f81e53954eb2cd3a2f56db2951e9b2257863db4c4921111",
                Map.of("Host", "test.tos.com:8080"), new byte[0]);
        assertThat(verifier("cn-north-1", GO_KEYS, GO_TIME.plusSeconds(3599)).verify(v1).presigned()).isTrue();
        assertThat(refusal(verifier("cn-north-1", GO_KEYS, GO_TIME.plusSeconds(3601)), v1).getMessage())
                .contains("expired");

        WireRequest v3 = request("GET", "/key", "X-Tos-Algorithm=TOS4-HMAC-SHA256"
                + "&X-Tos-Credential=ak%2F20210101%2Fbeijing%2Ftos%2Frequest&X-Tos-Date=20210101T000000Z"
                + "&X-Tos-Expires=86400&X-Tos-SignedHeaders=host"
                + "&X-Tos-Signature=b87788cb98d1a5a91a046d20eb212ffc22cf7cd4c1d4e9bd2d15a989afb97d2f",
                Map.of("Host", "bkt.tos-cn-beijing.volces.com"), new byte[0]);
        assertThat(verifier("beijing", KEYS, PY_TIME.plus(Duration.ofHours(20))).verify(v3).presigned()).isTrue();
    }

    // ------------------------------------------------------------------ the client's signer, cross-checked

    @Test
    void acceptsWhatTheClientSigns() {
        Map<String, String> headers = Map.of("X-Tos-Copy-Source", "/src/a%20b", "Range", "bytes=0-9",
                "Content-Type", "application/json");
        WireRequest r = signed(KEYS, "cn-beijing", NOW, "PUT", "/dir/ä b+c.bin",
                Map.of("partNumber", "3", "uploadId", "u/1+2"), headers, new byte[0]);
        assertThat(verifier("cn-beijing", KEYS, NOW).verify(r).accessKeyId()).isEqualTo("ak");
    }

    @Test
    void refusesATamperedSignaturePathOrHeader() {
        TosAuthVerifier v = verifier("cn-beijing", KEYS, NOW);
        WireRequest good = signed(KEYS, "cn-beijing", NOW, "GET", "/k", Map.of(),
                Map.of("x-tos-traffic-limit", "819200"), new byte[0]);

        Map<String, String> h = single(good);
        h.put("authorization", h.get("authorization").replaceAll(".$", h.get("authorization").endsWith("0") ? "1" : "0"));
        assertThat(refusal(v, request("GET", "/k", null, h, new byte[0])).code()).isEqualTo("SignatureDoesNotMatch");

        assertThat(refusal(v, request("GET", "/other", null, single(good), new byte[0])).code())
                .isEqualTo("SignatureDoesNotMatch");

        Map<String, String> changed = single(good);
        changed.put("x-tos-traffic-limit", "1638400");
        TosError e = refusal(v, request("GET", "/k", null, changed, new byte[0]));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.ec()).isEqualTo("0003-00000003");
    }

    @Test
    void refusesAWrongSecret() {
        WireRequest r = signed(new Credentials("ak", "not-sk", null), "cn-beijing", NOW, "GET", "/k", Map.of(),
                Map.of(), new byte[0]);
        assertThat(refusal(verifier("cn-beijing", KEYS, NOW), r).code()).isEqualTo("SignatureDoesNotMatch");
    }

    @Test
    void refusesAScopeForAnotherDayRegionOrService() {
        TosAuthVerifier v = verifier("cn-beijing", KEYS, NOW);
        WireRequest r = signed(KEYS, "cn-beijing", NOW, "GET", "/k", Map.of(), Map.of(), new byte[0]);
        Map<String, String> h = single(r);
        h.put("x-tos-date", "20250702T100000Z");
        TosError otherDay = refusal(verifier("cn-beijing", KEYS, Instant.parse("2025-07-02T10:00:00Z")),
                request("GET", "/k", null, h, new byte[0]));
        assertThat(otherDay.code()).isEqualTo("SignatureDoesNotMatch");
        assertThat(otherDay.getMessage()).contains("20250701", "20250702");

        TosError region = refusal(v, signed(KEYS, "cn-shanghai", NOW, "GET", "/k", Map.of(), Map.of(), new byte[0]));
        assertThat(region.status()).isEqualTo(400);
        assertThat(region.code()).isEqualTo("AuthorizationHeaderMalformed");
        assertThat(region.getMessage()).contains("cn-shanghai", "cn-beijing");

        TosSigner vectors = new TosSigner("cn-beijing", "tosvectors", KEYS, Clock.fixed(NOW, ZoneOffset.UTC));
        Map<String, String> sh = new LinkedHashMap<>(vectors.signHeaders("GET", "bkt.tos-cn-beijing.volces.com", "/k",
                Map.of(), Map.of(), null));
        sh.put("Host", "bkt.tos-cn-beijing.volces.com");
        assertThat(refusal(v, request("GET", "/k", null, sh, new byte[0])).code())
                .isEqualTo("AuthorizationHeaderMalformed");
    }

    @Test
    void refusesDatesMoreThanFifteenMinutesOff() {
        WireRequest r = signed(KEYS, "cn-beijing", NOW, "GET", "/k", Map.of(), Map.of(), new byte[0]);
        assertThat(verifier("cn-beijing", KEYS, NOW.plus(Duration.ofMinutes(14))).verify(r)).isNotNull();
        assertThat(verifier("cn-beijing", KEYS, NOW.minus(Duration.ofMinutes(14))).verify(r)).isNotNull();
        TosError late = refusal(verifier("cn-beijing", KEYS, NOW.plus(Duration.ofMinutes(16))), r);
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.code()).isEqualTo("RequestTimeTooSkewed");
        assertThat(refusal(verifier("cn-beijing", KEYS, NOW.minus(Duration.ofMinutes(16))), r).code())
                .isEqualTo("RequestTimeTooSkewed");
    }

    @Test
    void refusesUnsignedTosHeadersUnknownKeysAndMissingAuth() {
        TosAuthVerifier v = verifier("cn-beijing", KEYS, NOW);
        WireRequest r = signed(KEYS, "cn-beijing", NOW, "GET", "/k", Map.of(), Map.of(), new byte[0]);
        Map<String, String> h = single(r);
        h.put("x-tos-traffic-limit", "819200");
        assertThat(refusal(v, request("GET", "/k", null, h, new byte[0])).code()).isEqualTo("AccessDenied");

        WireRequest stranger = signed(new Credentials("nobody", "sk", null), "cn-beijing", NOW, "GET", "/k",
                Map.of(), Map.of(), new byte[0]);
        assertThat(refusal(v, stranger).code()).isEqualTo("InvalidAccessKeyId");

        assertThat(refusal(v, request("GET", "/k", null, Map.of("Host", "h"), new byte[0])).code())
                .isEqualTo("AccessDenied");
    }

    @Test
    void checksADeclaredBodyHash() {
        byte[] body = "{\"Parts\":[]}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("X-Tos-Content-Sha256", Signing.sha256Hex(body));
        TosAuthVerifier v = verifier("cn-beijing", KEYS, NOW);
        assertThat(v.verify(signed(KEYS, "cn-beijing", NOW, "POST", "/k", Map.of("uploadId", "u"), headers, body)))
                .isNotNull();
        TosError e = refusal(v, signed(KEYS, "cn-beijing", NOW, "POST", "/k", Map.of("uploadId", "u"), headers,
                "{\"Parts\":[1]}".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo("ContentSHA256Mismatch");
    }

    private static Map<String, String> single(WireRequest r) {
        Map<String, String> h = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> h.put(k, v.get(0)));
        return h;
    }
}
