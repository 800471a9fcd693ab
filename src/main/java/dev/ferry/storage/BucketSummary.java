package dev.ferry.storage;

import java.time.Instant;

/** One bucket as the endpoint's bucket listing shows it; {@code created} is null when the server gives none. */
public record BucketSummary(String name, Instant created) {
}
