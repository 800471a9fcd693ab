package dev.ferry.transfer.queue;

import java.time.Instant;

/** One line of a transfer's event log: part events, retries with their reasons, resume decisions. */
public record LogEntry(Instant time, String text, boolean problem) {
}
