package dev.ferry.storage.s3;

import static dev.ferry.storage.Signing.hmac;
import static dev.ferry.storage.Signing.hmacHex;
import static dev.ferry.storage.Signing.sha256Hex;
import static dev.ferry.storage.Signing.uriEncode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import dev.ferry.storage.DailyKey;

/**
 * AWS Signature Version 4, header authentication. Holds the key and the signing key of the day last signed for;
 * thread-safe.
 * The caller passes the exact encoded path and query it sends, so what is signed is what goes
 * on the wire.
 */
public final class SigV4Signer {
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile(" +");

    private final String region;
    private final String service;
    private final Credentials credentials;
    private final DailyKey signingKey = new DailyKey(this::deriveKey);

    public SigV4Signer(String region, String service, Credentials credentials) {
        this.region = region;
        this.service = service;
        this.credentials = credentials;
    }

    /**
     * Signs one request.
     *
     * @param encodedPath  the path as sent, already URI-encoded
     * @param query        query parameters, not encoded (they are encoded here, as on the wire)
     * @param headers      headers to sign besides host and the x-amz ones this method adds (may be empty)
     * @param payloadHash  hex SHA-256 of the body, or {@link #UNSIGNED_PAYLOAD}
     * @return the headers to add to the request: x-amz-date, x-amz-content-sha256, the security token
     *         when there is one, and Authorization
     */
    public Map<String, String> sign(String method, String host, String encodedPath, Map<String, String> query,
                                    Map<String, String> headers, String payloadHash, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);

        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), v));
        signed.put("host", host);
        signed.put("x-amz-date", amzDate);
        signed.put("x-amz-content-sha256", payloadHash);
        if (credentials.sessionToken() != null) {
            signed.put("x-amz-security-token", credentials.sessionToken());
        }

        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(trimAll(v)).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());

        String canonicalRequest = method + '\n'
                + encodedPath + '\n'
                + canonicalQuery(query) + '\n'
                + canonicalHeaders + '\n'
                + signedHeaders + '\n'
                + payloadHash;
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
        byte[] key = signingKey.of(day);
        String signature = hmacHex(key, stringToSign);

        Map<String, String> out = new LinkedHashMap<>();
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", payloadHash);
        if (credentials.sessionToken() != null) {
            out.put("x-amz-security-token", credentials.sessionToken());
        }
        out.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return out;
    }

    /** Query string in canonical form (sorted, RFC 3986 encoded); also what goes on the wire. */
    public static String canonicalQuery(Map<String, String> query) {
        // sorted by encoded name, then value; sorting the joined "name=value" strings would put "a1=" before "a="
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            pairs.add(new String[] {uriEncode(e.getKey(), true),
                    uriEncode(e.getValue() == null ? "" : e.getValue(), true)});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringJoiner out = new StringJoiner("&");
        pairs.forEach(p -> out.add(p[0] + "=" + p[1]));
        return out.toString();
    }

    private byte[] deriveKey(String day) {
        byte[] k = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "aws4_request");
    }

    private static String trimAll(String v) {
        String s = v.strip();
        return s.contains("  ") ? SPACES.matcher(s).replaceAll(" ") : s;
    }
}
