package dev.ferry.profiles;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the secrets of saved profiles, by profile id. Implementations never log, print or put a secret
 * in an exception message. Thread-safe.
 */
public interface SecretStore {
    /** The secrets stored for the profile, or empty. */
    Optional<Secrets> get(String profileId) throws IOException;

    /** Stores (or replaces) the secrets of the profile. */
    void put(String profileId, Secrets secrets) throws IOException;

    /** Forgets the profile's secrets; nothing happens when there are none. */
    void remove(String profileId) throws IOException;

    /**
     * Where the secrets are kept, in words for people that follow "Secret keys are kept ": "in the file ...
     * (readable only by you)", "in the login keyring (Secret Service)".
     */
    String describe();
}
