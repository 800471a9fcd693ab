package dev.ferry.transfer.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a resumed download needs: where the bytes come from, which object version they belong to,
 * the part plan and how far each part got. Contains no credentials.
 */
@JsonPropertyOrder({"formatVersion", "kind", "source", "object", "destination", "tempFile", "tempGeneration",
        "expectedLength", "partSize", "updated", "parts"})
public record DownloadCheckpoint(int formatVersion, String kind, SourceRecord source, ObjectIdentity object,
                                 String destination, String tempFile, long expectedLength, long partSize,
                                 String updated, List<Part> parts, String tempGeneration) {
    public static final int FORMAT_VERSION = 1;
    public static final String KIND = "download";
    /**
     * The recorded length of the one part of a stream whose length the server did not say (the object's size is
     * then -1 as well): it runs to the end of the stream.
     */
    public static final long OPEN_LENGTH = -1;

    /**
     * A checkpoint without a temp-file generation: on a file system with user attributes it matches no
     * temp file, elsewhere any temp file of the right length.
     */
    public DownloadCheckpoint(int formatVersion, String kind, SourceRecord source, ObjectIdentity object,
                              String destination, String tempFile, long expectedLength, long partSize, String updated,
                              List<Part> parts) {
        this(formatVersion, kind, source, object, destination, tempFile, expectedLength, partSize, updated, parts, null);
    }

    /**
     * A part: {@code length} bytes from {@code start}, of which the first {@code completed} are on disk.
     * {@code crc64} is the CRC-64/XZ of the finished part as it arrived (objects with a CRC-64 only), so a
     * mismatch of the whole file can be traced to the parts that changed on disk; {@code crc32c} the CRC-32C of
     * the finished part as it arrived (every object), so a part changed on disk between runs is found and fetched
     * again; null when not recorded.
     */
    public record Part(int number, long start, long length, long completed,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long crc64,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long crc32c) {
        public Part(int number, long start, long length, long completed) {
            this(number, start, length, completed, null, null);
        }

        public Part(int number, long start, long length, long completed, Long crc64) {
            this(number, start, length, completed, crc64, null);
        }

        @JsonIgnore
        public boolean isDone() {
            return length != OPEN_LENGTH && completed >= length;
        }
    }

    /** Bytes recorded as on disk. */
    @JsonIgnore
    public long completedBytes() {
        return parts.stream().mapToLong(Part::completed).sum();
    }

    @JsonIgnore
    public Path tempPath() {
        return Path.of(tempFile);
    }

    /**
     * Checks that the file is a well-formed checkpoint of this format; returns null when it is, or
     * the reason it is not.
     */
    public String problem() {
        if (formatVersion != FORMAT_VERSION) {
            return "it has format version " + formatVersion + ", this Ferry writes version " + FORMAT_VERSION;
        }
        if (!KIND.equals(kind)) {
            return "it is not a download checkpoint";
        }
        if (source == null || object == null || tempFile == null || destination == null || parts == null
                || source.bucket() == null || source.key() == null) {
            return "it is incomplete";
        }
        if (object.size() != expectedLength || expectedLength < OPEN_LENGTH) {
            return "its sizes disagree";
        }
        if (expectedLength == OPEN_LENGTH) {
            Part only = parts.size() == 1 ? parts.get(0) : null;
            return only != null && only.number() == 1 && only.start() == 0 && only.length() == OPEN_LENGTH
                    && only.completed() >= 0 ? null : "its stream of unknown length is recorded inconsistently";
        }
        long next = 0;
        int number = 1;
        for (Part p : parts) {
            if (p == null || p.number() != number++ || p.start() != next || p.length() <= 0
                    || p.completed() < 0 || p.completed() > p.length()) {
                return "its part list is inconsistent";
            }
            next += p.length();
        }
        if (next != expectedLength) {
            return "its parts do not cover the object";
        }
        return null;
    }

    public boolean sameSource(SourceRecord other) {
        return Objects.equals(source, other);
    }
}
