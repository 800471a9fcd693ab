package dev.ferry.app.settings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operating system's Downloads folder: the XDG user directory on Linux, {@code ~/Downloads} elsewhere. */
public final class DownloadsFolder {
    private static final Pattern XDG_DOWNLOAD = Pattern.compile("^\\s*XDG_DOWNLOAD_DIR\\s*=\\s*\"(.*)\"\\s*$",
            Pattern.MULTILINE);

    private DownloadsFolder() {
    }

    public static Path find() {
        String home = System.getProperty("user.home");
        String config = System.getenv("XDG_CONFIG_HOME");
        Path userDirs = (config != null && !config.isBlank() ? Path.of(config) : Path.of(home, ".config"))
                .resolve("user-dirs.dirs");
        String text = null;
        try {
            if (Files.isRegularFile(userDirs)) {
                text = Files.readString(userDirs);
            }
        } catch (IOException | RuntimeException unreadable) {
            text = null;
        }
        return fromUserDirs(text, Path.of(home));
    }

    /** The download folder named by an XDG {@code user-dirs.dirs} text (null: none), else {@code home/Downloads}. */
    static Path fromUserDirs(String userDirsText, Path home) {
        if (userDirsText != null) {
            Matcher m = XDG_DOWNLOAD.matcher(userDirsText);
            if (m.find()) {
                String value = m.group(1).replace("\\\"", "\"");
                if (value.startsWith("$HOME/")) {
                    return home.resolve(value.substring("$HOME/".length()));
                }
                if (value.equals("$HOME")) {
                    // XDG's way of saying "no separate folder"; a download manager still wants one
                    return home.resolve("Downloads");
                }
                if (value.startsWith("/")) {
                    return Path.of(value);
                }
            }
        }
        return home.resolve("Downloads");
    }
}
