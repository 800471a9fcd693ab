package dev.ferry.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.ferry.profiles.ConnectionProfile.Origin;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.FerryHome;

/**
 * The connection profiles Ferry saves: {@code profiles.json} in Ferry's data folder (no secrets in it),
 * and the secrets in a {@link SecretStore}. Every change rewrites the file atomically. A file that cannot
 * be read is reported by every call and never overwritten. Thread-safe within one process.
 */
public final class ProfileStore {
    /** The profiles file's name in Ferry's data folder. */
    public static final String FILE_NAME = "profiles.json";
    static final int FORMAT_VERSION = 1;

    /** The file's layout: a format version and the profiles in the order they were added. */
    record ProfilesFile(int version, List<StoredProfile> profiles) {
    }

    /** One profile as written; the secrets are elsewhere. */
    record StoredProfile(String id, String name, StoreKind kind, String endpoint, String region, boolean pathStyle,
                         String accessKeyId, boolean hasSessionToken) {
        static StoredProfile of(ConnectionProfile p) {
            return new StoredProfile(p.id(), p.name(), p.kind(), p.endpoint(), p.region(), p.pathStyle(),
                    p.accessKeyId(), p.hasSessionToken());
        }

        ConnectionProfile profile() {
            return new ConnectionProfile(id, name, kind, endpoint, region, pathStyle, accessKeyId, hasSessionToken,
                    Origin.FERRY);
        }

        boolean complete() {
            return id != null && name != null && kind != null && endpoint != null && region != null
                    && accessKeyId != null;
        }
    }

    private final Path file;
    private final SecretStore secrets;

    public ProfileStore(Path file, SecretStore secrets) {
        this.file = file;
        this.secrets = secrets;
    }

    /** The store in Ferry's data folder ({@code FERRY_HOME}), with the best secret store available. */
    public static ProfileStore openDefault() {
        Path home = FerryHome.dir();
        return new ProfileStore(home.resolve(FILE_NAME), SecretStores.best(home));
    }

    public Path file() {
        return file;
    }

    public SecretStore secretStore() {
        return secrets;
    }

    /** The saved profiles, in the order they were added. */
    public synchronized List<ConnectionProfile> list() throws IOException {
        return read().stream().map(StoredProfile::profile).toList();
    }

    public synchronized Optional<ConnectionProfile> find(String id) throws IOException {
        return list().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The stored secrets of a saved profile; empty when there are none (say, lost with a removed secrets file). */
    public Optional<Secrets> secrets(String id) throws IOException {
        return secrets.get(id);
    }

    /** Checks the draft and saves it as a new profile with a fresh id. */
    public synchronized ConnectionProfile add(ProfileDraft draft) throws InvalidProfileException, IOException {
        List<StoredProfile> all = read();
        ResolvedProfile resolved = ProfileRules.resolve(draft, profiles(all), null, null, true);
        ConnectionProfile profile = resolved.profile();
        // the secret first: a crash in between leaves an unused secret, never a profile without one
        secrets.put(profile.id(), resolved.secrets());
        all.add(StoredProfile.of(profile));
        CheckpointFiles.write(file, new ProfilesFile(FORMAT_VERSION, all));
        return profile;
    }

    /**
     * Checks the draft and saves it over the profile {@code id}. A blank secret key in the draft keeps the
     * stored one, and so does a blank session token unless the draft says to forget it.
     *
     * @throws IllegalArgumentException when no profile has that id
     */
    public synchronized ConnectionProfile update(String id, ProfileDraft draft)
            throws InvalidProfileException, IOException {
        List<StoredProfile> all = read();
        int index = indexOf(all, id);
        ConnectionProfile old = all.get(index).profile();
        Secrets stored = secrets.get(id).orElse(null);
        ResolvedProfile resolved = ProfileRules.resolve(draft, profiles(all), old, stored, true);
        if (!resolved.secrets().equals(stored)) {
            secrets.put(id, resolved.secrets());
        }
        all.set(index, StoredProfile.of(resolved.profile()));
        CheckpointFiles.write(file, new ProfilesFile(FORMAT_VERSION, all));
        return resolved.profile();
    }

    /**
     * Checks a draft without saving it and resolves its secrets (a blank secret keeps the stored one of
     * profile {@code editingId}, which may be null): what testing a connection from an editor needs. The
     * name is not checked.
     */
    public synchronized ResolvedProfile preview(String editingId, ProfileDraft draft)
            throws InvalidProfileException, IOException {
        List<StoredProfile> all = read();
        ConnectionProfile old = null;
        Secrets stored = null;
        if (editingId != null) {
            old = all.get(indexOf(all, editingId)).profile();
            stored = secrets.get(editingId).orElse(null);
        }
        return ProfileRules.resolve(draft, profiles(all), old, stored, false);
    }

    /**
     * Removes the profile and its secrets; nothing happens when there is no such profile. The secrets go
     * first, so a crash never leaves a secret nobody can see or remove.
     */
    public synchronized void remove(String id) throws IOException {
        List<StoredProfile> all = read();
        secrets.remove(id);
        if (all.removeIf(p -> p.id().equals(id))) {
            CheckpointFiles.write(file, new ProfilesFile(FORMAT_VERSION, all));
        }
    }

    private static int indexOf(List<StoredProfile> all, String id) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no saved connection has the id " + id);
    }

    private static List<ConnectionProfile> profiles(List<StoredProfile> all) {
        return all.stream().map(StoredProfile::profile).toList();
    }

    private List<StoredProfile> read() throws IOException {
        ProfilesFile parsed;
        try {
            parsed = CheckpointFiles.read(file, ProfilesFile.class);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw unreadable("it is not valid" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + " (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw unreadable(e.getMessage(), e);
        }
        if (parsed == null) {
            return new ArrayList<>();
        }
        if (parsed.version() != FORMAT_VERSION) {
            throw unreadable(parsed.version() > FORMAT_VERSION
                    ? "it was written by a newer Ferry (format version " + parsed.version() + ")"
                    : "it has no valid format version", null);
        }
        List<StoredProfile> all = parsed.profiles() == null ? new ArrayList<>() : new ArrayList<>(parsed.profiles());
        if (all.stream().anyMatch(p -> p == null || !p.complete())) {
            throw unreadable("a profile in it lacks its id, name, kind, endpoint, region or access key", null);
        }
        return all;
    }

    private IOException unreadable(String why, Exception cause) {
        return new IOException("Cannot read the connection profiles in " + file + ": " + why
                + ". The file is left as it is; repair it or move it away.", cause);
    }

    @Override
    public String toString() {
        return "ProfileStore[" + file + ", secrets " + secrets + "]";
    }
}
