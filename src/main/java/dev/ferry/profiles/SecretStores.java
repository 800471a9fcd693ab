package dev.ferry.profiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Chooses where secrets are kept: the OS keyring where one is available, else a file only the user can
 * read.
 *
 * <ul>
 *   <li><b>Keyring</b> ({@link SecretToolStore}): on Linux and the BSDs, the freedesktop Secret Service
 *       (GNOME Keyring, KWallet, KeePassXC, ...) through libsecret's {@code secret-tool}. Chosen when
 *       {@code secret-tool} is on the PATH, there is a session bus ({@code DBUS_SESSION_BUS_ADDRESS}, or
 *       the socket {@code $XDG_RUNTIME_DIR/bus}), and a harmless search answers within
 *       {@value #PROBE_SECONDS} s. Secrets still in the file then move into the keyring, each removed
 *       from the file only once the keyring gave it back intact.</li>
 *   <li><b>File</b> ({@link FileSecretStore}): {@code secrets.json} in Ferry's data folder, mode 0600.
 *       Everywhere else (the macOS Keychain and the Windows Credential Manager would need native code),
 *       and whenever the environment variable {@code FERRY_SECRETS=file} asks for it.</li>
 * </ul>
 * The choice is made once, when a store is opened; nothing is moved back from the keyring to the file.
 */
public final class SecretStores {
    /** The secrets file's name in Ferry's data folder. */
    public static final String FILE_NAME = "secrets.json";
    /** The environment variable that forces a store: {@code file} (any other value: the best one). */
    public static final String ENV = "FERRY_SECRETS";
    static final int PROBE_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(SecretStores.class.getName());

    private SecretStores() {
    }

    /** The best store available on this machine for a Ferry data folder. */
    public static SecretStore best(Path ferryHome) {
        return best(ferryHome, System.getenv());
    }

    /** The best store available for a Ferry data folder, judged by the environment {@code env}. */
    public static SecretStore best(Path ferryHome, Map<String, String> env) {
        return best(ferryHome, env, onPath("secret-tool", env), Duration.ofSeconds(PROBE_SECONDS),
                SecretToolStore.TIMEOUT);
    }

    /**
     * The choice, with what it depends on made explicit.
     *
     * @param secretTool   the {@code secret-tool} to use, empty when there is none
     * @param probeTimeout how long the keyring may take to answer the probe
     * @param timeout      how long each keyring call may take afterwards
     */
    static SecretStore best(Path ferryHome, Map<String, String> env, Optional<Path> secretTool, Duration probeTimeout,
                            Duration timeout) {
        FileSecretStore file = new FileSecretStore(ferryHome.resolve(FILE_NAME));
        String forced = env.get(ENV);
        if (forced != null && forced.strip().toLowerCase(Locale.ROOT).equals("file")) {
            return file;
        }
        Optional<Map<String, String>> childEnv = SecretToolStore.childEnvironment(env);
        if (secretTool.isEmpty() || childEnv.isEmpty()) {
            return file;
        }
        SecretToolStore keyring = new SecretToolStore(secretTool.get(), childEnv.get(), timeout);
        if (!keyring.answers(probeTimeout)) {
            LOG.fine("no Secret Service answered " + secretTool.get() + "; secrets stay in " + file.file());
            return file;
        }
        return moveInto(keyring, file);
    }

    /**
     * Moves the secrets the file holds into the keyring: each is stored, read back and compared, and
     * only those that came back intact are removed from the file (in one atomic rewrite). The first
     * failure stops the move, since a locked or broken keyring would fail (or prompt) for every one.
     *
     * @return the keyring, or when secrets are left in the file, the keyring reading those from the file
     */
    static SecretStore moveInto(SecretStore keyring, FileSecretStore file) {
        Map<String, Secrets> inFile;
        try {
            inFile = file.all();
        } catch (IOException e) {
            // an unreadable file is left alone; its message names the file, never its content
            LOG.warning("secrets could not be moved to the keyring: " + e.getMessage());
            return keyring;
        }
        if (inFile.isEmpty()) {
            return keyring;
        }
        Map<String, Secrets> moved = new TreeMap<>();
        for (Map.Entry<String, Secrets> e : inFile.entrySet()) {
            try {
                keyring.put(e.getKey(), e.getValue());
                if (!keyring.get(e.getKey()).equals(Optional.of(e.getValue()))) {
                    LOG.warning("the keyring did not give back the secret of connection " + e.getKey()
                            + " as stored; it stays in " + file.file());
                    break;
                }
                moved.put(e.getKey(), e.getValue());
            } catch (IOException failed) {
                LOG.warning("secrets could not be moved to the keyring: " + failed.getMessage());
                break;
            }
        }
        try {
            if (!moved.isEmpty()) {
                file.removeAll(moved);
            }
            if (!file.all().isEmpty()) {
                return new KeyringWithLeftovers(keyring, file);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "moved secrets could not be removed from " + file.file() + ": " + e.getMessage());
            return new KeyringWithLeftovers(keyring, file);
        }
        return keyring;
    }

    /** The executable {@code name} in the folders of {@code env}'s PATH, as an absolute path. */
    static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.get("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(Pattern.quote(java.io.File.pathSeparator))) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name).toAbsolutePath();
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (RuntimeException invalid) {
                // a PATH entry that is no path
            }
        }
        return Optional.empty();
    }
}
