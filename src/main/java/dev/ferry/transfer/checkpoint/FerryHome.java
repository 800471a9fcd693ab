package dev.ferry.transfer.checkpoint;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Ferry's data folder: {@code FERRY_HOME} when set (or the {@code ferry.home} system property),
 * else the platform's per-user data folder: {@code $XDG_DATA_HOME/ferry} or
 * {@code ~/.local/share/ferry} on Linux, {@code %LOCALAPPDATA%\Ferry} on Windows,
 * {@code ~/Library/Application Support/Ferry} on macOS.
 */
public final class FerryHome {
    private FerryHome() {
    }

    public static Path dir() {
        String prop = System.getProperty("ferry.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("FERRY_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return platformDefault(System.getProperty("os.name", ""), System.getProperty("user.home"),
                System.getenv("XDG_DATA_HOME"), System.getenv("LOCALAPPDATA"));
    }

    static Path platformDefault(String osName, String userHome, String xdgDataHome, String localAppData) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return localAppData != null && !localAppData.isBlank()
                    ? Path.of(localAppData, "Ferry") : Path.of(userHome, "AppData", "Local", "Ferry");
        }
        if (os.startsWith("mac")) {
            return Path.of(userHome, "Library", "Application Support", "Ferry");
        }
        if (xdgDataHome != null && !xdgDataHome.isBlank() && Path.of(xdgDataHome).isAbsolute()) {
            return Path.of(xdgDataHome, "ferry");
        }
        return Path.of(userHome, ".local", "share", "ferry");
    }

    public static Path checkpoints() {
        return dir().resolve("checkpoints");
    }
}
