package dev.ferry.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import dev.ferry.storage.Etags;

/**
 * Which object a finished download's file holds: the object's ETag, kept in a user attribute of the file when the
 * download completes, with the file's size and time of last change then. A later run over the same folder tells a
 * file it finished from one that merely has the same size. A file without that record (downloaded before records
 * were kept, copied from elsewhere, on a file system that keeps no user attributes) is compared by content where the
 * ETag is an MD5, and otherwise by size and time.
 */
public final class FileOrigin {
    private static final String ATTRIBUTE = "ferry.etag";

    /** What is known of a file at an object's destination. */
    public enum Match {
        /** Recorded by the download that finished it, or its bytes have the object's MD5. */
        PROVEN,
        /** Of the object's size and not older than it, with nothing that could prove more (no record, no MD5). */
        LIKELY,
        /** Another file, or one nothing speaks for. */
        NO
    }

    private FileOrigin() {
    }

    /**
     * Records that {@code file} holds the object with {@code etag}, as the file stands now (a later change in place
     * voids the record); quietly nothing where that cannot be kept. The file's time of last change is kept as it
     * was, where writing the attribute would move it.
     */
    static void record(Path file, String etag) {
        // without an ETag (a link whose server gives none) the record still says the file is a finished download
        String bare = etag == null ? "" : Etags.bare(etag);
        try {
            FileTime before = Files.getLastModifiedTime(file);
            if (UserAttributes.write(file, ATTRIBUTE, Files.size(file) + ":" + before.toMillis() + ":" + bare)
                    && !Files.getLastModifiedTime(file).equals(before)) {
                Files.setLastModifiedTime(file, before);
            }
        } catch (IOException | RuntimeException unavailable) {
            // no record: a later run compares what it can
        }
    }

    /** Drops the record from a file that did not go into place after all (it stays a partial download). */
    static void forget(Path file) {
        UserAttributes.remove(file, ATTRIBUTE);
    }

    /** Whether a download finished {@code file} (as it stood then, or changed since). */
    static boolean recorded(Path file) {
        return UserAttributes.read(file, ATTRIBUTE) != null;
    }

    /**
     * What {@code file} is to the object of {@code size} bytes with {@code etag}, last modified at
     * {@code lastModified} (null when unknown). A file whose bytes prove it is recorded, so the next look is cheap.
     */
    public static Match check(Path file, long size, String etag, Instant lastModified) throws IOException {
        String bare = Etags.bare(etag);
        if (bare == null || bare.isEmpty() || !Files.isRegularFile(file) || Files.size(file) != size) {
            return Match.NO;
        }
        String record = UserAttributes.read(file, ATTRIBUTE);
        String stamp = size + ":" + Files.getLastModifiedTime(file).toMillis() + ":";
        if (record != null) {
            // a record of another object, or of this file before it changed, speaks against it
            return record.equals(stamp + bare) ? Match.PROVEN : Match.NO;
        }
        if (Etags.looksLikeMd5(bare)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                if (!HexFormat.of().formatHex(Verifier.digest("md5", ch)).equals(bare.toLowerCase(Locale.ROOT))) {
                    return Match.NO;
                }
            }
            record(file, etag);
            return Match.PROVEN;
        }
        boolean notOlder = lastModified != null
                && !Files.getLastModifiedTime(file).toInstant().isBefore(lastModified);
        return notOlder ? Match.LIKELY : Match.NO;
    }
}
