package dev.ferry.storage;

import java.io.Closeable;
import java.nio.channels.ReadableByteChannel;

/**
 * The body of a (ranged) GET, positioned at {@link #start()}. Reading past {@link #length()} bytes is
 * the caller's error; a body that ends early throws an {@link java.io.IOException} from the channel.
 */
public interface RangeBody extends Closeable {
    /** First byte offset of the body within the object. */
    long start();

    /** Number of bytes the body will deliver. */
    long length();

    ReadableByteChannel channel();

    /** The ETag the answer carried, exactly as sent, or null when it carried none. */
    default String etag() {
        return null;
    }

    /** The object's total size as the answer stated it (Content-Range total), or -1 when it did not say. */
    default long objectSize() {
        return -1;
    }

    @Override
    void close();
}
