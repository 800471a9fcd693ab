package dev.ferry.storage.tos;

import static dev.ferry.storage.Signing.hmac;
import static dev.ferry.storage.Signing.hmacHex;
import static dev.ferry.storage.Signing.sha256Hex;
import static dev.ferry.storage.Signing.uriEncode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

import dev.ferry.storage.DailyKey;
import dev.ferry.storage.Signing;
import dev.ferry.storage.s3.Credentials;

/**
 * Volcengine TOS request signing, TOS4-HMAC-SHA256: header authentication for requests and query
 * authentication for presigned URLs. Holds the key, the clock and the signing key of the day last signed for;
 * thread-safe.
 *
 * <p>Paths and query parameters are given decoded; they are encoded here exactly as they must then go on
 * the wire ({@link Signing#uriEncode(String, boolean)}, {@link #canonicalQuery(Map)}), so a caller that sends
 * those encodings sends what was signed. Signed headers are {@code content-type} (header auth only),
 * {@code host} and every {@code x-tos-*} header, {@code x-tos-date} and the security token included.
 */
public final class TosSigner {
    public static final String ALGORITHM = "TOS4-HMAC-SHA256";
    public static final String SERVICE = "tos";
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** Lifetime of a presigned URL unless told otherwise. */
    public static final Duration DEFAULT_EXPIRES = Duration.ofHours(1);
    /** The longest lifetime TOS documents for a presigned URL (the signer itself does not enforce it). */
    public static final Duration MAX_EXPIRES = Duration.ofDays(7);

    static final String DATE_HEADER = "x-tos-date";
    static final String TOKEN_HEADER = "x-tos-security-token";
    static final String CONTENT_SHA256_HEADER = "x-tos-content-sha256";
    private static final DateTimeFormatter ISO_BASIC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String region;
    private final String service;
    private final Credentials credentials;
    private final DailyKey signingKey = new DailyKey(this::deriveKey);
    private final Clock clock;

    public TosSigner(String region, Credentials credentials, Clock clock) {
        this(region, SERVICE, credentials, clock);
    }

    /** @param service {@code tos}, or {@code tosvectors} for the vectors service */
    public TosSigner(String region, String service, Credentials credentials, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The intermediate texts and the result of one signature, for tests and diagnostics. */
    public record Signature(String canonicalRequest, String stringToSign, String signedHeaders, String credential,
                            String date, String value) {
    }

    /**
     * Header authentication of one request, dated now by the signer's clock.
     *
     * @param path        the decoded path ({@code /key}, or {@code /bucket/key} path-style)
     * @param query       decoded query parameters (a valueless one maps to "")
     * @param headers     the request's headers; those that are signed are picked out here
     * @param payloadHash the payload hash to sign, or null for the default: the {@code x-tos-content-sha256}
     *                    header when given, else the hash of an empty body
     * @return the headers to add: {@code X-Tos-Date}, {@code X-Tos-Security-Token} with STS credentials,
     *         and {@code Authorization}
     */
    public Map<String, String> signHeaders(String method, String host, String path, Map<String, String> query,
                                           Map<String, String> headers, String payloadHash) {
        return authorizationHeaders(headerSignature(method, host, path, query, headers, payloadHash, clock.instant()));
    }

    /** The headers a {@link #headerSignature} result goes out with. */
    public Map<String, String> authorizationHeaders(Signature s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("X-Tos-Date", s.date());
        if (credentials.sessionToken() != null) {
            out.put("X-Tos-Security-Token", credentials.sessionToken());
        }
        out.put("Authorization", ALGORITHM + " Credential=" + s.credential() + ",SignedHeaders=" + s.signedHeaders()
                + ",Signature=" + s.value());
        return out;
    }

    /** Header authentication at a given time, with every intermediate text. */
    public Signature headerSignature(String method, String host, String path, Map<String, String> query,
                                     Map<String, String> headers, String payloadHash, Instant at) {
        String date = ISO_BASIC.format(at);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.startsWith("x-tos")) {
                signed.put(lower, value);
            }
        });
        signed.put("host", host);
        signed.put(DATE_HEADER, date);
        if (credentials.sessionToken() != null) {
            signed.put(TOKEN_HEADER, credentials.sessionToken());
        }
        String payload = payloadHash != null ? payloadHash : signed.getOrDefault(CONTENT_SHA256_HEADER, EMPTY_SHA256);
        return sign(method, path, canonicalQuery(query), signed, payload, date);
    }

    /**
     * Query authentication: the query parameters of a presigned URL, {@code X-Tos-Signature} last, dated now.
     *
     * @param query   the request's own decoded parameters, signed along
     * @param headers headers the URL's user must send; {@code x-tos-*} ones are signed along with host
     * @param expires how long the URL stays valid
     */
    public Map<String, String> presignQuery(String method, String host, String path, Map<String, String> query,
                                            Map<String, String> headers, Duration expires) {
        return presignQuery(method, host, path, query, headers, expires, clock.instant()).query();
    }

    /** A presigned request's parameters and its signature's intermediate texts. */
    public record Presigned(Map<String, String> query, Signature signature) {
    }

    /** Query authentication at a given time. */
    public Presigned presignQuery(String method, String host, String path, Map<String, String> query,
                                  Map<String, String> headers, Duration expires, Instant at) {
        if (expires.isNegative() || expires.isZero()) {
            throw new IllegalArgumentException("a presigned URL needs a positive lifetime: " + expires);
        }
        String date = ISO_BASIC.format(at);
        TreeMap<String, String> signed = new TreeMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-tos")) {
                signed.put(lower, value);
            }
        });
        signed.put("host", host);
        Map<String, String> params = new LinkedHashMap<>(query);
        params.put("X-Tos-Algorithm", ALGORITHM);
        params.put("X-Tos-Credential", credential(date));
        params.put("X-Tos-Date", date);
        params.put("X-Tos-Expires", Long.toString(expires.toSeconds()));
        if (credentials.sessionToken() != null) {
            params.put("X-Tos-Security-Token", credentials.sessionToken());
        }
        params.put("X-Tos-SignedHeaders", String.join(";", signed.keySet()));
        String payload = signed.getOrDefault(CONTENT_SHA256_HEADER, UNSIGNED_PAYLOAD);
        Signature s = sign(method, path, canonicalQuery(params), signed, payload, date);
        params.put("X-Tos-Signature", s.value());
        return new Presigned(params, s);
    }

    /**
     * The query string of a presigned URL: the signed parameters in canonical order, then the signature,
     * as the SDKs write it.
     */
    public static String presignedQueryString(Map<String, String> presigned) {
        Map<String, String> signedPart = new LinkedHashMap<>(presigned);
        String signature = signedPart.remove("X-Tos-Signature");
        String q = canonicalQuery(signedPart);
        return signature == null ? q : q + "&X-Tos-Signature=" + uriEncode(signature, true);
    }

    private Signature sign(String method, String path, String canonicalQuery, TreeMap<String, String> signed,
                           String payloadHash, String date) {
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(collapseWhitespace(v)).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + '\n'
                + uriEncode(path.isEmpty() ? "/" : path, false) + '\n'
                + canonicalQuery + '\n'
                + canonicalHeaders + '\n'
                + signedHeaders + '\n'
                + payloadHash;
        String day = date.substring(0, 8);
        String scope = day + "/" + region + "/" + service + "/request";
        String stringToSign = ALGORITHM + '\n' + date + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
        String signature = hmacHex(signingKey.of(day), stringToSign);
        return new Signature(canonicalRequest, stringToSign, signedHeaders, credentials.accessKeyId() + "/" + scope,
                date, signature);
    }

    private String credential(String date) {
        return credentials.accessKeyId() + "/" + date.substring(0, 8) + "/" + region + "/" + service + "/request";
    }

    private byte[] deriveKey(String day) {
        byte[] k = hmac(credentials.secretAccessKey().getBytes(StandardCharsets.UTF_8), day);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, "request");
    }

    /**
     * The canonical (and wire) query string: parameters sorted by their raw names in byte order, then by
     * value, each as {@code encode(name)=encode(value)}, joined by {@code &}.
     */
    public static String canonicalQuery(Map<String, String> query) {
        List<String[]> pairs = new ArrayList<>(query.size());
        query.forEach((k, v) -> pairs.add(new String[] {k, v == null ? "" : v}));
        Comparator<String[]> byName = (a, b) -> compareUtf8(a[0], b[0]);
        pairs.sort(byName.thenComparing((a, b) -> compareUtf8(a[1], b[1])));
        StringJoiner out = new StringJoiner("&");
        for (String[] p : pairs) {
            out.add(uriEncode(p[0], true) + "=" + uriEncode(p[1], true));
        }
        return out.toString();
    }

    private static int compareUtf8(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Trims and folds runs of whitespace into one space, as the TOS SDKs canonicalise header values. */
    static String collapseWhitespace(String v) {
        return String.join(" ", v.strip().split("\\s+"));
    }
}
