package dev.ferry.profiles;

import java.nio.file.Path;

/**
 * Chooses where secrets are kept.
 *
 * <p>Today that is always a {@link FileSecretStore} under Ferry's data folder. An OS keyring (the Secret
 * Service over D-Bus on Linux, the macOS Keychain, the Windows Credential Manager) needs either a native
 * binding or a helper program, neither of which Ferry ships yet; when one is added, {@link #best(Path)}
 * is where it is probed for, with the file as the fallback.
 */
public final class SecretStores {
    /** The secrets file's name in Ferry's data folder. */
    public static final String FILE_NAME = "secrets.json";

    private SecretStores() {
    }

    /** The best store available on this machine for a Ferry data folder. */
    public static SecretStore best(Path ferryHome) {
        return new FileSecretStore(ferryHome.resolve(FILE_NAME));
    }
}
