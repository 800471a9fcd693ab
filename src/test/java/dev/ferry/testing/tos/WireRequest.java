package dev.ferry.testing.tos;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request exactly as it arrived: method, the raw (still encoded) path and query, headers by lower-case
 * name with every value, and the body. The decoding helpers are the server's own.
 */
public record WireRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                          byte[] body) {

    /** The header's values joined with "," (as a signature covers them), or null when absent. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    /** The query parameters, decoded, in arrival order; a parameter without "=" has the value "". */
    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            q.put(decode(k, true), decode(v, true));
        }
        return q;
    }

    /** The path, decoded (a '+' stays a '+'). */
    public String path() {
        return decode(rawPath == null || rawPath.isEmpty() ? "/" : rawPath, false);
    }

    /**
     * Percent-decoding to UTF-8; with {@code plusIsSpace} a '+' means a space, as in form-encoded queries.
     *
     * @throws TosError for a malformed escape
     */
    public static String decode(String s, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw TosError.invalidArgument("malformed escape in '" + s + "'");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw TosError.invalidArgument("malformed escape in '" + s + "'");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
