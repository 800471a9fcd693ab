package dev.ferry.storage;

import java.time.Instant;

/** One object as a listing shows it. */
public record ObjectSummary(String key, long size, String etag, Instant lastModified) {
}
