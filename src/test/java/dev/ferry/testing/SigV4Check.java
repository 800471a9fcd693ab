package dev.ferry.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.SigV4Signer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Checks on the server side that a recorded request carries a SigV4 signature that is valid for its
 * own {@code x-amz-date}: what a retry that replayed stale headers, or skipped signing, would fail.
 */
public final class SigV4Check {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SigV4Check() {
    }

    /** Null when the signature is valid, else what is wrong. */
    public static String problem(RecordedRequest r, Credentials creds, String region) {
        String auth = r.getHeaders().get("Authorization");
        String date = r.getHeaders().get("x-amz-date");
        String payload = r.getHeaders().get("x-amz-content-sha256");
        if (auth == null || date == null || payload == null) {
            return "unsigned: Authorization=" + auth + ", x-amz-date=" + date;
        }
        String signedList = between(auth, "SignedHeaders=", ",");
        Map<String, String> toSign = new TreeMap<>();
        for (String name : signedList.split(";")) {
            if (!name.equals("host") && !name.equals("x-amz-date") && !name.equals("x-amz-content-sha256")) {
                toSign.put(name, r.getHeaders().get(name));
            }
        }
        HttpUrl url = r.getUrl();
        Map<String, String> query = new TreeMap<>();
        for (String name : url.queryParameterNames()) {
            query.put(name, url.queryParameter(name));
        }
        Instant at = AMZ_DATE.parse(date, Instant::from);
        Map<String, String> expected = new SigV4Signer(region, "s3", creds).sign(r.getMethod(),
                r.getHeaders().get("Host"), url.encodedPath(), query, toSign, payload, at);
        String want = expected.get("Authorization");
        return want.equals(auth) ? null : "signature mismatch for " + r.getMethod() + " "
                + r.getHeaders().get("Range") + " at " + date.toLowerCase(Locale.ROOT);
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from) + from.length();
        int b = s.indexOf(to, a);
        return s.substring(a, b < 0 ? s.length() : b);
    }
}
