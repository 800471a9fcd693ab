package dev.ferry.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Secrets in one JSON file only its owner can read (0600 on POSIX systems; see {@link PrivateFiles} for
 * the others), rewritten atomically on every change. A file that cannot be read is reported and left
 * alone, never overwritten. Error messages name the file and the place of a syntax error, never its
 * content.
 */
public final class FileSecretStore implements SecretStore {
    static final int FORMAT_VERSION = 1;

    /** The file's layout: {@code {"version": 1, "secrets": {"<profile id>": {...}}}}. */
    record SecretsFile(int version, Map<String, Secrets> secrets) {
    }

    private final Path file;

    public FileSecretStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<Secrets> get(String profileId) throws IOException {
        return Optional.ofNullable(read().get(profileId));
    }

    @Override
    public synchronized void put(String profileId, Secrets secrets) throws IOException {
        Map<String, Secrets> all = read();
        all.put(profileId, secrets);
        write(all);
    }

    @Override
    public synchronized void remove(String profileId) throws IOException {
        Map<String, Secrets> all = read();
        if (all.remove(profileId) != null) {
            write(all);
        }
    }

    /** Every stored secret, by profile id (for moving them to another store). */
    synchronized Map<String, Secrets> all() throws IOException {
        return read();
    }

    /**
     * Forgets the given secrets where the file still holds exactly them (a secret changed meanwhile is
     * kept), in one atomic rewrite; the file is deleted when nothing is left in it.
     *
     * @return the profile ids whose secrets were forgotten
     */
    synchronized Set<String> removeAll(Map<String, Secrets> moved) throws IOException {
        Map<String, Secrets> all = read();
        Set<String> removed = new TreeSet<>();
        moved.forEach((id, secrets) -> {
            if (secrets.equals(all.get(id))) {
                all.remove(id);
                removed.add(id);
            }
        });
        if (all.isEmpty()) {
            if (Files.deleteIfExists(file)) {
                CheckpointFiles.forceDirectory(file.toAbsolutePath().getParent());
            }
        } else if (!removed.isEmpty()) {
            write(all);
        }
        return removed;
    }

    @Override
    public String describe() {
        return "in the file " + file + " (readable only by you)";
    }

    private Map<String, Secrets> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        }
        PrivateFiles.restrictToOwner(file);
        try {
            SecretsFile parsed = CheckpointFiles.json().readValue(bytes, SecretsFile.class);
            if (parsed == null || parsed.version() != FORMAT_VERSION) {
                throw unreadable(parsed == null ? "it is empty" : "it has format version " + parsed.version()
                        + ", this Ferry reads " + FORMAT_VERSION);
            }
            return parsed.secrets() == null ? new TreeMap<>() : new TreeMap<>(parsed.secrets());
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the file's content, which is secret: say only where it broke
            JsonLocation at = e.getLocation();
            throw unreadable(at == null ? "it is not valid" : "it is not valid at line " + at.getLineNr()
                    + ", column " + at.getColumnNr());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private IOException unreadable(String why) {
        return new IOException("Cannot read the stored secrets in " + file + ": " + why
                + ". The file is left as it is; repair it or move it away and enter the secret keys again.");
    }

    private void write(Map<String, Secrets> all) throws IOException {
        byte[] bytes = CheckpointFiles.json().writeValueAsBytes(new SecretsFile(FORMAT_VERSION, all));
        try {
            PrivateFiles.write(file, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "FileSecretStore[" + file + "]";
    }
}
