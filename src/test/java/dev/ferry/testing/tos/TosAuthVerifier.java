package dev.ferry.testing.tos;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.ferry.storage.s3.Credentials;

/**
 * The test server's check of TOS4-HMAC-SHA256, written apart from the client's signer so that the two can
 * disagree: it parses the Authorization header (or the presigned query), rebuilds the canonical request
 * from what arrived on the wire (decoded, then encoded the canonical way), and recomputes the signature.
 * Refusals are TOS errors: a bad signature is 403 SignatureDoesNotMatch, a date more than 15 minutes
 * off 403 RequestTimeTooSkewed, a credential scope for another day, region or service 400/403 as TOS does.
 */
public final class TosAuthVerifier {
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String ALGORITHM = "TOS4-HMAC-SHA256";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String UNSIGNED = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private final String region;
    private final String service;
    private final Function<String, Credentials> keys;
    private final Clock clock;

    /** @param keys the credentials of an access key id, or null for an unknown one */
    public TosAuthVerifier(String region, String service, Function<String, Credentials> keys, Clock clock) {
        this.region = region;
        this.service = service;
        this.keys = keys;
        this.clock = clock;
    }

    /** What a verified request was signed as. */
    public record Verified(String accessKeyId, boolean presigned) {
    }

    /** Checks the request's signature; throws a {@link TosError} when it does not hold. */
    public Verified verify(WireRequest r) {
        Map<String, String> query = r.query();
        if (query.containsKey("X-Tos-Algorithm")) {
            return verifyQuery(r, query);
        }
        String auth = r.header("authorization");
        if (auth == null) {
            throw new TosError(403, "AccessDenied", "Anonymous access is not allowed.");
        }
        return verifyHeader(r, query, auth);
    }

    private Verified verifyHeader(WireRequest r, Map<String, String> query, String auth) {
        if (!auth.startsWith(ALGORITHM + " ")) {
            throw malformed("The authorization header must use " + ALGORITHM + ".");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : auth.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        String credential = required(fields, "Credential");
        List<String> signedHeaders = List.of(required(fields, "SignedHeaders").split(";"));
        String signature = required(fields, "Signature");

        String date = r.header("x-tos-date");
        if (date == null) {
            throw new TosError(403, "AccessDenied", "The request carries no X-Tos-Date.");
        }
        Instant at = parseDate(date);
        Credentials creds = checkScope(credential, date);
        checkSkew(at);
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-tos-date")) {
            throw new TosError(403, "AccessDenied", "SignedHeaders must include host and x-tos-date.");
        }
        for (String name : r.headers().keySet()) {
            if (name.startsWith("x-tos-") && !signedHeaders.contains(name)) {
                throw new TosError(403, "AccessDenied", "The header " + name + " is not signed.");
            }
        }
        checkToken(creds, r.header("x-tos-security-token"));

        List<String> payloads = new ArrayList<>();
        String declared = r.header("x-tos-content-sha256");
        if (declared != null) {
            checkDeclaredHash(declared, r.body());
            payloads.add(declared);
        } else {
            payloads.add(EMPTY_SHA256); // what the Go and Java SDKs sign
            payloads.add(UNSIGNED);     // what the Python SDK signs
        }
        String canonicalQuery = canonicalQuery(query, false);
        for (String payload : payloads) {
            String canonical = canonicalRequest(r, canonicalQuery, signedHeaders, payload);
            if (matches(signature, compute(creds, date, canonical))) {
                return new Verified(creds.accessKeyId(), false);
            }
        }
        throw signatureMismatch();
    }

    private Verified verifyQuery(WireRequest r, Map<String, String> query) {
        if (!ALGORITHM.equals(query.get("X-Tos-Algorithm"))) {
            throw malformed("X-Tos-Algorithm must be " + ALGORITHM + ".");
        }
        String credential = required(query, "X-Tos-Credential");
        String date = required(query, "X-Tos-Date");
        String signature = required(query, "X-Tos-Signature");
        List<String> signedHeaders = List.of(required(query, "X-Tos-SignedHeaders").split(";"));
        long expires;
        try {
            expires = Long.parseLong(required(query, "X-Tos-Expires"));
        } catch (NumberFormatException e) {
            throw malformed("X-Tos-Expires is not a number.");
        }
        Instant at = parseDate(date);
        Credentials creds = checkScope(credential, date);
        Instant now = clock.instant();
        if (at.isAfter(now.plus(MAX_SKEW))) {
            throw skewed();
        }
        if (expires <= 0 || now.isAfter(at.plusSeconds(expires))) {
            throw new TosError(403, "AccessDenied", "Request has expired.");
        }
        if (!signedHeaders.contains("host")) {
            throw new TosError(403, "AccessDenied", "X-Tos-SignedHeaders must include host.");
        }
        checkToken(creds, query.get("X-Tos-Security-Token"));
        String declared = r.header("x-tos-content-sha256");
        String payload = declared != null ? declared : UNSIGNED;
        String canonical = canonicalRequest(r, canonicalQuery(query, true), signedHeaders, payload);
        if (!matches(signature, compute(creds, date, canonical))) {
            throw signatureMismatch();
        }
        return new Verified(creds.accessKeyId(), true);
    }

    // ---------------------------------------------------------------- pieces

    /** {@code AK/yyyyMMdd/region/service/request}, for the day of the request's date, this server's region. */
    private Credentials checkScope(String credential, String date) {
        String[] scope = credential.split("/");
        if (scope.length != 5) {
            throw malformed("The credential '" + credential + "' is not AK/date/region/service/request.");
        }
        Credentials creds = keys.apply(scope[0]);
        if (creds == null) {
            throw new TosError(403, "InvalidAccessKeyId", "The access key id you provided does not exist.");
        }
        if (!scope[1].equals(date.substring(0, 8))) {
            throw new TosError(403, "SignatureDoesNotMatch", "The credential scope's date " + scope[1]
                    + " is not the day of X-Tos-Date " + date + ".");
        }
        if (!scope[2].equals(region)) {
            throw malformed("The region '" + scope[2] + "' is wrong; expecting '" + region + "'.");
        }
        if (!scope[3].equals(service) || !scope[4].equals("request")) {
            throw malformed("The credential scope must end in /" + service + "/request.");
        }
        return creds;
    }

    private void checkSkew(Instant at) {
        Duration off = Duration.between(at, clock.instant()).abs();
        if (off.compareTo(MAX_SKEW) > 0) {
            throw skewed();
        }
    }

    private static void checkToken(Credentials creds, String token) {
        if (creds.sessionToken() != null && !creds.sessionToken().equals(token)) {
            throw new TosError(403, "InvalidToken", "The security token is missing or invalid.");
        }
    }

    private static void checkDeclaredHash(String declared, byte[] body) {
        if (declared.equals(UNSIGNED)) {
            return;
        }
        String actual = HexFormat.of().formatHex(digest(body));
        if (!actual.equalsIgnoreCase(declared)) {
            throw new TosError(400, "ContentSHA256Mismatch",
                    "The provided x-tos-content-sha256 does not match what was computed.");
        }
    }

    private static String canonicalRequest(WireRequest r, String canonicalQuery, List<String> signedHeaders,
                                           String payload) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append('\n');
        sb.append(encode(r.path(), false)).append('\n');
        sb.append(canonicalQuery).append('\n');
        for (String name : signedHeaders) {
            String value = r.header(name);
            if (value == null) {
                throw new TosError(403, "SignatureDoesNotMatch", "The signed header " + name + " is missing.");
            }
            sb.append(name).append(':').append(String.join(" ", value.strip().split("\\s+"))).append('\n');
        }
        sb.append('\n').append(String.join(";", signedHeaders)).append('\n').append(payload);
        return sb.toString();
    }

    /** Every parameter but the signature, sorted by raw name (bytes), then value. */
    private static String canonicalQuery(Map<String, String> query, boolean presigned) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (!(presigned && e.getKey().equals("X-Tos-Signature"))) {
                pairs.add(e);
            }
        }
        pairs.sort((a, b) -> {
            int byName = java.util.Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8),
                    b.getKey().getBytes(StandardCharsets.UTF_8));
            return byName != 0 ? byName : java.util.Arrays.compareUnsigned(
                    a.getValue().getBytes(StandardCharsets.UTF_8), b.getValue().getBytes(StandardCharsets.UTF_8));
        });
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(encode(e.getKey(), true)).append('=').append(encode(e.getValue(), true));
        }
        return sb.toString();
    }

    private static String encode(String s, boolean slash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-_.~".indexOf(c) >= 0 || c == '/' && !slash;
            sb.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xff));
        }
        return sb.toString();
    }

    private String compute(Credentials creds, String date, String canonicalRequest) {
        String day = date.substring(0, 8);
        String stringToSign = ALGORITHM + "\n" + date + "\n" + day + "/" + region + "/" + service + "/request\n"
                + HexFormat.of().formatHex(digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = mac(creds.secretAccessKey().getBytes(StandardCharsets.UTF_8), day);
        for (String step : new String[] {region, service, "request"}) {
            key = mac(key, step);
        }
        return HexFormat.of().formatHex(mac(key, stringToSign));
    }

    private static boolean matches(String given, String computed) {
        return MessageDigest.isEqual(given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                computed.getBytes(StandardCharsets.US_ASCII));
    }

    private static Instant parseDate(String date) {
        try {
            return LocalDateTime.parse(date, DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new TosError(403, "AccessDenied", "X-Tos-Date '" + date + "' is not yyyyMMddTHHmmssZ.");
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null || v.isEmpty()) {
            throw malformed("The request's authorization lacks " + name + ".");
        }
        return v;
    }

    private static TosError malformed(String message) {
        return new TosError(400, "AuthorizationHeaderMalformed", message);
    }

    private static TosError skewed() {
        return new TosError(403, "RequestTimeTooSkewed",
                "The difference between the request time and the server's time is too large.");
    }

    private static TosError signatureMismatch() {
        return new TosError(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.");
    }

    private static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mac(byte[] key, String data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
