package dev.ferry.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes and rates: {@code 10MiB}, {@code 10MB}, {@code 512k}, {@code 10MiB/s}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)(b?)", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * A size in bytes. Suffixes: KiB, MiB, GiB, TiB (1024-based); KB, MB, GB, TB (1000-based); a bare K, M,
     * G or T is 1024-based, as in aria2 and rclone; B or nothing means bytes.
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new UsageException("invalid size '" + text + "' (examples: 20MiB, 512KiB, 1GB)");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        boolean binary = !m.group(3).isEmpty() || m.group(4).isEmpty();
        if (!m.group(3).isEmpty() && unit.isEmpty()) {
            throw new UsageException("invalid size '" + text + "'");
        }
        int power = switch (unit) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        double value = number * Math.pow(binary ? 1024 : 1000, power);
        if (value > Long.MAX_VALUE / 2) {
            throw new UsageException("size too large: '" + text + "'");
        }
        return Math.round(value);
    }

    /** A rate in bytes per second; {@code /s} is optional; 0 means unlimited. */
    public static long parseRate(String text) {
        String t = text == null ? "" : text.strip();
        if (t.toLowerCase(Locale.ROOT).endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        }
        try {
            return parseSize(t);
        } catch (UsageException e) {
            throw new UsageException("invalid rate '" + text + "' (examples: 10MiB/s, 500KB/s, 0 for unlimited)");
        }
    }

    /** {@code --part-size}: 5 MiB to 5 GiB. */
    public static long parsePartSize(String text) {
        long part = parseSize(text);
        if (part < dev.ferry.transfer.PartPlan.MIN_PART_SIZE || part > dev.ferry.transfer.PartPlan.MAX_PART_SIZE) {
            throw new UsageException("--part-size must be between 5MiB and 5GiB");
        }
        return part;
    }

    /** {@code --connections}: 1 to 1000. */
    public static int checkConnections(int connections) {
        if (connections < 1 || connections > dev.ferry.transfer.PartPlan.MAX_CONNECTIONS) {
            throw new UsageException("--connections must be between 1 and " + dev.ferry.transfer.PartPlan.MAX_CONNECTIONS);
        }
        return connections;
    }

    /** Human-readable binary size, e.g. {@code 1.5 GiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int i = -1;
        // 1023.7 KiB would print as "1024 KiB": move on to the next unit when the rounded value reaches 1024
        while ((v >= 1024 || i >= 0 && v >= 1023.5) && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        String pattern = v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, v, units[i]);
    }
}
