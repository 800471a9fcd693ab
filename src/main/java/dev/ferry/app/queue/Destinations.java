package dev.ferry.app.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.SafePaths;
import dev.ferry.transfer.checkpoint.CheckpointLock;

/**
 * Picks where a queued download goes: a safe name inside the chosen folder (an object key never reaches outside
 * it), and when that file exists or another queued download already goes there, "name (1).ext", "name (2).ext"…
 */
public final class Destinations {
    private final Set<Path> taken;

    /** {@code taken}: the destinations of the transfers already in the queue. */
    public Destinations(Collection<Path> taken) {
        this.taken = new HashSet<>();
        for (Path p : taken) {
            this.taken.add(p.toAbsolutePath().normalize());
        }
    }

    /** A free file for the object {@code key} (relative to {@code prefix}) under {@code folder}; null for no file. */
    public Path pick(Path folder, String relativeKey) {
        Path wanted = SafePaths.resolve(folder, relativeKey);
        if (wanted == null) {
            return null;
        }
        Path chosen = wanted;
        for (int n = 1; isTaken(chosen); n++) {
            chosen = numbered(wanted, n);
        }
        taken.add(chosen);
        return chosen;
    }

    private boolean isTaken(Path p) {
        Path temp = DownloadRequest.tempFileFor(p);
        return taken.contains(p) || Files.exists(p) || Files.exists(temp)
                || Files.exists(CheckpointLock.fileOf(temp)); // the temp file's lock, beside it
    }

    static Path numbered(Path file, int n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot)
                : name + " (" + n + ")";
        return file.resolveSibling(numbered);
    }
}
