package dev.ferry.transfer.checkpoint;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says that one transfer works on a checkpoint: {@code <checkpoint>.lock}, held with an OS file lock by the
 * process that runs the transfer, so a second process (or a second transfer in this JVM) on the same
 * checkpoint refuses instead of racing the first. The kernel drops the lock when its process dies, so a
 * killed run never blocks the next; the file itself is deleted when the lock is released.
 *
 * <p>Deleting a lock file races with a process that opened it just before: that process may then lock a
 * file no longer in the folder. So after locking, the holder checks that the name still leads to the file it
 * opened (the same file key before opening and after locking), and starts again if not. The file is never
 * opened a second time while locked: on POSIX systems closing any descriptor of a file drops the process's
 * locks on it.
 */
public final class CheckpointLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 20;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object key;

    private CheckpointLock(Path file, FileChannel channel, FileLock lock, Object key) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** What a lock file's name adds to its checkpoint's. */
    public static final String SUFFIX = ".lock";

    /** The lock file of {@code checkpoint}: beside it, {@code <name>.lock}. */
    public static Path fileOf(Path checkpoint) {
        Path abs = checkpoint.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + SUFFIX);
    }

    /** Locks {@code checkpoint}; null when another process or another transfer of this JVM holds it. */
    public static CheckpointLock tryAcquire(Path checkpoint) throws IOException {
        Path file = fileOf(checkpoint);
        if (!HELD.add(file)) {
            return null;
        }
        boolean acquired = false;
        try {
            CheckpointFiles.ensureFolder(file.getParent());
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                try {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException fine) {
                    // left by a killed run, or held right now: the lock tells which
                }
                Object before = keyOf(file);
                try {
                    if (before != null && Files.size(file) > 0) {
                        // Ferry's lock files stay empty: one with data is somebody's file that has the lock's name
                        throw new IOException(file + " is in the way: it holds data, so it is no lock file of "
                                + "Ferry's; move it away and run again");
                    }
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                FileChannel ch;
                try {
                    ch = FileChannel.open(file, StandardOpenOption.WRITE);
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    ch.close();
                    return null;
                }
                Object after = keyOf(file);
                if (before != null && before.equals(after)) {
                    acquired = true;
                    return new CheckpointLock(file, ch, lock, after);
                }
                // the holder deleted the file as this process opened it: what is locked is no longer there
                ch.close();
            }
            throw new IOException("cannot lock " + file + ": it keeps being replaced");
        } finally {
            if (!acquired) {
                HELD.remove(file);
            }
        }
    }

    /** What identifies the file the name leads to (device and inode), without opening it; null when missing. */
    private static Object keyOf(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : NO_KEY;
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** Where the platform gives no file key, the name is taken to lead to the file opened. */
    private static final Object NO_KEY = new Object();

    public Path file() {
        return file;
    }

    /** Deletes the lock file (while still holding the lock) and releases the lock. */
    @Override
    public void close() {
        try {
            if (key != NO_KEY && key.equals(keyOf(file))) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a lock file left behind is harmless: the next run locks and deletes it
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        } finally {
            HELD.remove(file);
        }
    }
}
