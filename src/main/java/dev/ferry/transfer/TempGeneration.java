package dev.ferry.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
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
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null) {
                return null;
            }
            view.write(ATTRIBUTE, ByteBuffer.wrap(mark.getBytes(StandardCharsets.US_ASCII)));
            return mark;
        } catch (IOException | RuntimeException unsupported) {
            return null;
        }
    }

    /** The file's mark, or null when it has none (or the file system keeps none). */
    static String read(Path file) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null || !view.list().contains(ATTRIBUTE)) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(view.size(ATTRIBUTE));
            view.read(ATTRIBUTE, buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException unsupported) {
            return null;
        }
    }

    /** Whether the file is the one a checkpoint with {@code expected} describes. */
    static boolean matches(Path file, String expected) {
        return Objects.equals(read(file), expected);
    }
}
