package dev.ferry.transfer.checkpoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a resumed server-side copy needs: the source and which version of it, the destination, the
 * multipart upload id (recorded before any part is copied) and the ETag of every part copied so far.
 * Contains no credentials.
 *
 * <p>A checkpoint is written before the upload is created too, with no upload id yet and
 * {@code unrecordedUploadsSince} set: a process killed before it heard the new upload's id leaves an upload
 * the checkpoint cannot name, and the next run (or {@code --cancel}) looks for it by key and time instead.
 * The field stays set while such uploads may exist and have not been looked for.
 *
 * @param unrecordedUploadsSince ISO-8601 instant; uploads of the destination key started from then on, other
 *                               than {@code uploadId}, may be this copy's and unrecorded; null when none can be
 */
@JsonPropertyOrder({"formatVersion", "kind", "source", "object", "destinationBucket", "destinationKey", "uploadId",
        "unrecordedUploadsSince", "partSize", "updated", "parts"})
public record CopyCheckpoint(int formatVersion, String kind, SourceRecord source, ObjectIdentity object,
                             String destinationBucket, String destinationKey, String uploadId,
                             String unrecordedUploadsSince, long partSize, String updated, List<Part> parts) {
    public static final int FORMAT_VERSION = 1;
    public static final String KIND = "copy";

    /** A checkpoint that names its upload and has nothing unrecorded. */
    public CopyCheckpoint(int formatVersion, String kind, SourceRecord source, ObjectIdentity object,
                          String destinationBucket, String destinationKey, String uploadId, long partSize,
                          String updated, List<Part> parts) {
        this(formatVersion, kind, source, object, destinationBucket, destinationKey, uploadId, null, partSize,
                updated, parts);
    }

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

    /** Written before the upload was created: no upload id yet. */
    @JsonIgnore
    public boolean isPending() {
        return uploadId == null;
    }

    /** Whether every part's ETag is recorded (the upload was about to be completed, or was). */
    @JsonIgnore
    public boolean allPartsRecorded() {
        return parts.stream().allMatch(Part::isDone);
    }

    /** {@link #unrecordedUploadsSince} as an instant; null when none. */
    @JsonIgnore
    public Instant unrecordedSince() {
        return unrecordedUploadsSince == null ? null : Instant.parse(unrecordedUploadsSince);
    }

    /**
     * The upload id a damaged checkpoint (cut short, or garbled after its head) still shows for the destination
     * {@code bucket}/{@code key}, or null when it does not show one for exactly that destination. Checkpoints are
     * written head first (the upload id comes before the part list), so a cut-short one usually keeps it.
     */
    public static String uploadIdIn(String damaged, String bucket, String key) {
        String id = recordedValue(damaged, "uploadId");
        return id != null && !id.isEmpty() && bucket.equals(recordedValue(damaged, "destinationBucket"))
                && key.equals(recordedValue(damaged, "destinationKey")) ? id : null;
    }

    /** The string recorded for {@code field}, when it appears once, complete and without escapes; else null. */
    private static String recordedValue(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"\\\\]*)\"").matcher(json);
        if (!m.find()) {
            return null;
        }
        String value = m.group(1);
        return m.find() ? null : value;
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
                || (uploadId == null && unrecordedUploadsSince == null) || "".equals(uploadId)
                || parts == null || parts.isEmpty()) {
            return "it is incomplete";
        }
        if (unrecordedUploadsSince != null) {
            try {
                Instant.parse(unrecordedUploadsSince);
            } catch (DateTimeParseException e) {
                return "its time " + unrecordedUploadsSince + " is unreadable";
            }
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
