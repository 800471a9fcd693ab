package dev.ferry.transfer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Ties a temp file to the checkpoint that describes it: a random mark kept in a user attribute of the
 * file and in the checkpoint. A temp file that another run started afresh (without that checkpoint)
 * carries another mark, so its bytes are never taken for the checkpoint's. Where the file system keeps
 * no user attributes there is no mark and the check falls back to the file's length.
 */
final class TempGeneration {
    private static final String ATTRIBUTE = "ferry.generation";

    private TempGeneration() {
    }

    /** Gives the file a new mark and returns it, or null when the file system cannot keep one. */
    static String mark(Path file) {
        String mark = UUID.randomUUID().toString();
        return UserAttributes.write(file, ATTRIBUTE, mark) ? mark : null;
    }

    /** The file's mark, or null when it has none (or the file system keeps none). */
    static String read(Path file) {
        return UserAttributes.read(file, ATTRIBUTE);
    }

    /** Whether the file is the one a checkpoint with {@code expected} describes. */
    static boolean matches(Path file, String expected) {
        return Objects.equals(read(file), expected);
    }
}
