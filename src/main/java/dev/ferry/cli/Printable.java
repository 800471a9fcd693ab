package dev.ferry.cli;

/**
 * Text from a server (object keys, file names, messages) made safe for a terminal: control characters (escape
 * sequences that clear or recolour the screen, line breaks that would forge another line, the bell) and the marks
 * that reverse the direction of text are shown as escapes, {@code \x1b} or {@code \u202e}, instead of acting. JSON
 * output needs none of this; its encoder escapes them.
 */
final class Printable {
    private Printable() {
    }

    static String text(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe = Character.getType(c) == Character.CONTROL || isDirectionMark(c);
            if (unsafe && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (!unsafe) {
                    out.append(c);
                } else if (c <= 0xff) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean isDirectionMark(char c) {
        return c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
