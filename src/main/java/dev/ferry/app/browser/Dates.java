package dev.ferry.app.browser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Dates as the browser shows them: local time, to the minute, sortable as text. */
final class Dates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private Dates() {
    }

    static String format(Instant t) {
        return format(t, ZoneId.systemDefault());
    }

    static String format(Instant t, ZoneId zone) {
        return t == null ? "" : FORMAT.withZone(zone).format(t);
    }
}
