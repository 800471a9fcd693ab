package dev.ferry.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/** Short text kept in a file's user attributes (extended attributes), where the file system keeps them. */
final class UserAttributes {
    private UserAttributes() {
    }

    /** Writes {@code value} under {@code name}; false when the file system keeps no user attributes. */
    static boolean write(Path file, String name, String value) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null) {
                return false;
            }
            view.write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (IOException | RuntimeException unsupported) {
            return false;
        }
    }

    /** The value under {@code name}, or null when the file has none (or the file system keeps none). */
    static String read(Path file, String name) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view == null || !view.list().contains(name)) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(view.size(name));
            view.read(name, buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unsupported) {
            return null;
        }
    }

    /** Removes {@code name} from the file's user attributes, where it is. */
    static void remove(Path file, String name) {
        try {
            UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
            if (view != null && view.list().contains(name)) {
                view.delete(name);
            }
        } catch (IOException | RuntimeException unsupported) {
            // nothing to remove
        }
    }
}
