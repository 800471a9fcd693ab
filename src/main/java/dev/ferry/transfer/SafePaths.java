package dev.ferry.transfer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps object keys to files under a chosen folder, so that no key, however hostile, writes outside
 * it. The mapping is predictable: keys split on '/' and '\' into segments; empty and "." segments are
 * dropped; ".." becomes "%2E%2E"; control characters become '_'. With {@code windowsRules} (the default on
 * Windows) characters Windows forbids ({@code <>:"|?*}) become '_', trailing dots and spaces become '_',
 * and reserved device names (CON, NUL, COM1, ...) get a leading '_'.
 */
public final class SafePaths {
    private static final Set<String> WINDOWS_RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
            "COM\u00B9", "COM\u00B2", "COM\u00B3", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3", "CONIN$", "CONOUT$");
    private static final boolean ON_WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private SafePaths() {
    }

    /** The file for {@code relativeKey} under {@code root}, or null when the key names no file (e.g. "a/"). */
    public static Path resolve(Path root, String relativeKey) {
        return resolve(root, relativeKey, ON_WINDOWS);
    }

    public static Path resolve(Path root, String relativeKey, boolean windowsRules) {
        List<String> segments = segments(relativeKey, windowsRules);
        if (segments.isEmpty() || relativeKey.endsWith("/") || relativeKey.endsWith("\\")) {
            return null;
        }
        Path base = root.toAbsolutePath().normalize();
        Path p = base;
        for (String s : segments) {
            p = p.resolve(s);
        }
        p = p.normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new IllegalArgumentException("key escapes the destination folder: " + relativeKey);
        }
        return p;
    }

    static List<String> segments(String key, boolean windowsRules) {
        List<String> out = new ArrayList<>();
        for (String raw : key.split("[/\\\\]")) {
            if (raw.isEmpty() || raw.equals(".")) {
                continue;
            }
            out.add(safeSegment(raw, windowsRules));
        }
        return out;
    }

    /** {@link #safeSegment(String, boolean)} with this platform's rules. */
    public static String safeSegment(String raw) {
        return safeSegment(raw, ON_WINDOWS);
    }

    /**
     * One safe file-name segment: never empty, "." or "..", and no '/' or '\' (they become '_'), so a
     * segment made from a whole key still names one file inside its folder. Use the Windows rules on
     * Windows, where "C:" would otherwise name a drive.
     */
    public static String safeSegment(String raw, boolean windowsRules) {
        if (raw.isEmpty()) {
            return "_";
        }
        if (raw.equals(".")) {
            return "%2E";
        }
        if (raw.equals("..")) {
            return "%2E%2E";
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean unsafe = c < 0x20 || c == 0x7f || c == '/' || c == '\\';
            boolean forbidden = windowsRules && "<>:\"|?*".indexOf(c) >= 0;
            sb.append(unsafe || forbidden ? '_' : c);
        }
        String s = sb.toString();
        if (windowsRules) {
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
                end--;
            }
            if (end < s.length()) {
                s = s.substring(0, end) + "_".repeat(s.length() - end);
            }
            // Windows ignores spaces before the extension: "NUL .txt" is the device too
            String stem = (s.contains(".") ? s.substring(0, s.indexOf('.')) : s).stripTrailing();
            if (WINDOWS_RESERVED.contains(stem.toUpperCase(Locale.ROOT))) {
                s = "_" + s;
            }
        }
        return s;
    }
}
