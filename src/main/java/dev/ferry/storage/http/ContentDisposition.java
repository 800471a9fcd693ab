package dev.ferry.storage.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The file name a {@code Content-Disposition} header suggests (RFC 6266): {@code filename*} (RFC 8187,
 * percent-encoded with a charset) wins over {@code filename}. The name is returned as sent; the caller makes
 * it safe for the file system.
 */
public final class ContentDisposition {
    private ContentDisposition() {
    }

    /** The suggested file name, or null when the header has none (or is unreadable). */
    public static String fileName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String plain = null;
        String extended = null;
        for (String[] param : params(header)) {
            String name = param[0].toLowerCase(Locale.ROOT);
            if (name.equals("filename*") && extended == null) {
                extended = decodeExtended(param[1]);
            } else if (name.equals("filename") && plain == null) {
                plain = param[1];
            }
        }
        String chosen = extended != null ? extended : plain;
        return chosen == null || chosen.isBlank() ? null : chosen;
    }

    /** The parameters after the disposition type, as name/value pairs with quoted strings unquoted. */
    private static java.util.List<String[]> params(String header) {
        java.util.List<String[]> out = new java.util.ArrayList<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = header.substring(i, eq).strip();
            int j = eq + 1;
            while (j < header.length() && header.charAt(j) == ' ') {
                j++;
            }
            StringBuilder value = new StringBuilder();
            if (j < header.length() && header.charAt(j) == '"') {
                j++;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    if (c == '\\' && j + 1 < header.length()) {
                        c = header.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                i = header.indexOf(';', j);
            } else {
                int end = header.indexOf(';', j);
                value.append(header, j, end < 0 ? header.length() : end);
                i = end;
            }
            out.add(new String[]{name, value.toString().strip()});
        }
        return out;
    }

    /** {@code charset'language'percent-encoded}; null when malformed or in an unknown charset. */
    private static String decodeExtended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            return null;
        }
        Charset charset;
        try {
            charset = Charset.forName(value.substring(0, first).strip());
        } catch (RuntimeException unknown) {
            return null;
        }
        String encoded = value.substring(second + 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '%') {
                return null;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(charset);
    }
}
