package dev.ferry.transfer.checkpoint;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a resumed server-side copy needs: the source and which version of it, the destination, the
 * multipart upload id (recorded before any part is copied) and the ETag of every part copied so far.
 * Contains no credentials.
 */
@JsonPropertyOrder({"formatVersion", "kind", "source", "object", "destinationBucket", "destinationKey", "uploadId",
        "partSize", "updated", "parts"})
public record CopyCheckpoint(int formatVersion, String kind, SourceRecord source, ObjectIdentity object,
                             String destinationBucket, String destinationKey, String uploadId, long partSize,
                             String updated, List<Part> parts) {
    public static final int FORMAT_VERSION = 1;
    public static final String KIND = "copy";

    /** A part: {@code length} bytes from {@code start}; {@code etag} once copied, else null. */
    public record Part(int number, long start, long length, String etag) {
        @JsonIgnore
        public boolean isDone() {
            return etag != null;
        }
    }

    @JsonIgnore
    public long completedBytes() {
        return parts.stream().filter(Part::isDone).mapToLong(Part::length).sum();
    }

    /** Null when this is a well-formed copy checkpoint, else what is wrong with it. */
    public String problem() {
        if (formatVersion != FORMAT_VERSION) {
            return "it has format version " + formatVersion + ", this Ferry writes version " + FORMAT_VERSION;
        }
        if (!KIND.equals(kind)) {
            return "it is not a copy checkpoint";
        }
        if (source == null || object == null || destinationBucket == null || destinationKey == null
                || uploadId == null || uploadId.isEmpty() || parts == null || parts.isEmpty()) {
            return "it is incomplete";
        }
        long next = 0;
        int number = 1;
        for (Part p : parts) {
            if (p == null || p.number() != number++ || p.start() != next || p.length() <= 0) {
                return "its part list is inconsistent";
            }
            next += p.length();
        }
        return next == object.size() ? null : "its parts do not cover the object";
    }
}
