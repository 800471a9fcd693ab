package dev.ferry.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Locale;

import dev.ferry.storage.Etags;

/**
 * Which object a finished download's file holds: the object's ETag, kept in a user attribute of the file when the
 * download completes. A later run over the same folder then tells a file it finished from one that merely has the
 * same size. Where the file system keeps no user attributes (or the file came from elsewhere), an object whose ETag
 * is the MD5 of its bytes is compared by content instead.
 */
public final class FileOrigin {
    private static final String ATTRIBUTE = "ferry.etag";

    private FileOrigin() {
    }

    /**
     * Records that {@code file} holds the object with {@code etag}, as the file stands now (its size and time of last
     * change go with the ETag, so a later change in place voids the record); quietly nothing where that cannot be
     * kept.
     */
    static void record(Path file, String etag) {
        String bare = Etags.bare(etag);
        if (bare == null || bare.isEmpty()) {
            return;
        }
        try {
            UserAttributes.write(file, ATTRIBUTE, stamp(file) + bare);
        } catch (IOException | RuntimeException unavailable) {
            // no record: a later run compares content where it can
        }
    }

    /** The size and time of last change of {@code file}, as the record's prefix. */
    private static String stamp(Path file) throws IOException {
        return Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis() + ":";
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
     * Whether {@code file} holds the object of {@code size} bytes with {@code etag}: a download recorded it, or the
     * ETag is an MD5 and the file's bytes have it. False for a file of another size, or one nothing proves.
     */
    public static boolean holds(Path file, long size, String etag) throws IOException {
        String bare = Etags.bare(etag);
        if (bare == null || bare.isEmpty() || !Files.isRegularFile(file) || Files.size(file) != size) {
            return false;
        }
        if ((stamp(file) + bare).equals(UserAttributes.read(file, ATTRIBUTE))) {
            return true;
        }
        if (!Etags.looksLikeMd5(bare)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return HexFormat.of().formatHex(Verifier.digest("md5", ch)).equals(bare.toLowerCase(Locale.ROOT));
        }
    }
}
