package dev.ferry.app.queue;

import java.util.Locale;

import dev.ferry.cli.Sizes;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.queue.TransferSnapshot;

/** How sizes, rates, times and states read in the app. */
public final class Formats {
    private Formats() {
    }

    public static String size(long bytes) {
        return bytes < 0 ? "" : Sizes.format(bytes);
    }

    public static String rate(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "" : Sizes.format(bytesPerSecond) + "/s";
    }

    public static String limit(long bytesPerSecond) {
        return bytesPerSecond <= 0 ? "unlimited" : Sizes.format(bytesPerSecond) + "/s";
    }

    /** "42 s", "3 min 05 s", "2 h 10 min"; empty when unknown. */
    public static String eta(long seconds) {
        if (seconds < 0) {
            return "";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
    }

    public static String state(TransferState s) {
        String name = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The state column: the state, and for a failure its reason. */
    public static String status(TransferSnapshot s) {
        if (s.isCopyOntoExisting()) {
            return "Failed: " + s.message() + ". To copy over it, choose Replace existing object… in the row's menu";
        }
        if (s.state() == TransferState.FAILED && s.message() != null && !s.message().isBlank()) {
            return "Failed: " + s.message();
        }
        return state(s.state());
    }
}
