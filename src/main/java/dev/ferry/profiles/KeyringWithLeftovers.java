package dev.ferry.profiles;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The keyring while the secrets file still holds secrets that could not be moved into it (the keyring
 * refused or timed out part way): those are read from the file until they are moved (also when the
 * keyring fails), so no connection loses its secret meanwhile. New secrets go to the keyring only, and replace the file's copy; removing
 * removes from both. The next start tries the move again.
 */
final class KeyringWithLeftovers implements SecretStore {
    private static final Logger LOG = Logger.getLogger(KeyringWithLeftovers.class.getName());

    private final SecretStore keyring;
    private final FileSecretStore file;

    KeyringWithLeftovers(SecretStore keyring, FileSecretStore file) {
        this.keyring = keyring;
        this.file = file;
    }

    SecretStore keyring() {
        return keyring;
    }

    FileSecretStore file() {
        return file;
    }

    @Override
    public Optional<Secrets> get(String profileId) throws IOException {
        Optional<Secrets> inKeyring;
        try {
            inKeyring = keyring.get(profileId);
        } catch (IOException keyringFailed) {
            // a secret not moved yet is as good as the keyring's (putting one removes the file's copy)
            Optional<Secrets> inFile = file.get(profileId);
            if (inFile.isPresent()) {
                return inFile;
            }
            throw keyringFailed;
        }
        return inKeyring.isPresent() ? inKeyring : file.get(profileId);
    }

    @Override
    public void put(String profileId, Secrets secrets) throws IOException {
        keyring.put(profileId, secrets);
        try {
            file.remove(profileId);
        } catch (IOException e) {
            // the keyring's copy is read first, so an old one left in the file does no harm
            LOG.log(Level.FINE, "an old secret could not be removed from " + file.file() + ": " + e.getMessage());
        }
    }

    @Override
    public void remove(String profileId) throws IOException {
        keyring.remove(profileId);
        file.remove(profileId);
    }

    @Override
    public String describe() {
        return keyring.describe();
    }

    @Override
    public String toString() {
        return "KeyringWithLeftovers[" + keyring + ", " + file + "]";
    }
}
