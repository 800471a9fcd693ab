package dev.ferry.transfer.checkpoint;

/** Where a transfer's bytes come from, as a checkpoint records it. */
public record SourceRecord(String endpoint, String bucket, String key, String versionId) {
}
