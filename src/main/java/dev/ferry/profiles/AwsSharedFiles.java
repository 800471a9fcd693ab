package dev.ferry.profiles;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the AWS shared files: {@code ~/.aws/credentials} (sections {@code [name]}) and
 * {@code ~/.aws/config} (sections {@code [profile name]} and {@code [default]}), honouring
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}. Nested sub-sections are skipped.
 * Files that are missing or unreadable count as empty.
 */
public final class AwsSharedFiles {
    private static final Pattern PROFILE_PREFIX = Pattern.compile("profile\\s+");

    private final Map<String, Map<String, String>> credentials;
    private final Map<String, Map<String, String>> config;

    AwsSharedFiles(Map<String, Map<String, String>> credentials, Map<String, Map<String, String>> config) {
        this.credentials = credentials;
        this.config = config;
    }

    /** Reads the files the environment names (or the defaults under the home folder). */
    public static AwsSharedFiles load(Map<String, String> env) {
        String home = System.getProperty("user.home");
        Path credFile = filePath(env.get("AWS_SHARED_CREDENTIALS_FILE"), home, "credentials");
        Path confFile = filePath(env.get("AWS_CONFIG_FILE"), home, "config");
        return new AwsSharedFiles(parse(credFile, false), parse(confFile, true));
    }

    /** The file an environment variable names; a leading '~' is the home folder, as the AWS CLI and SDKs read it. */
    public static Path filePath(String fromEnv, String home, String defaultName) {
        if (fromEnv == null || fromEnv.isBlank()) {
            return Path.of(home, ".aws", defaultName);
        }
        if (fromEnv.equals("~") || fromEnv.startsWith("~/") || fromEnv.startsWith("~" + File.separator)) {
            return Path.of(home + fromEnv.substring(1));
        }
        return Path.of(fromEnv);
    }

    /** Every profile either file has a section for, sorted by name. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(credentials.keySet());
        names.addAll(config.keySet());
        return names;
    }

    public boolean exists(String profile) {
        return credentials.containsKey(profile) || config.containsKey(profile);
    }

    /** A setting of the profile: the credentials file wins over the config file. */
    public String get(String profile, String name) {
        String v = credentials.getOrDefault(profile, Map.of()).get(name);
        if (v == null || v.isEmpty()) {
            v = config.getOrDefault(profile, Map.of()).get(name);
        }
        return v == null || v.isEmpty() ? null : v;
    }

    static Map<String, Map<String, String>> parse(Path file, boolean configStyle) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return parseText(text, configStyle);
    }

    /**
     * The sections of one file's text with their settings (names lower-cased, the first of repeated ones).
     *
     * @param configStyle the config file's rules: "[profile name]" and "[default]", other sections skipped
     */
    public static Map<String, Map<String, String>> parseText(String text, boolean configStyle) {
        Map<String, Map<String, String>> out = new HashMap<>();
        Map<String, String> section = null;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String header = sectionName(line);
            if (header != null) {
                String name = header;
                if (configStyle && PROFILE_PREFIX.matcher(name).lookingAt()) {
                    name = PROFILE_PREFIX.matcher(name).replaceFirst("");
                } else if (configStyle && !name.equals("default")) {
                    section = null;
                    continue;
                }
                section = out.computeIfAbsent(name, k -> new LinkedHashMap<>());
                continue;
            }
            if (section == null) {
                continue;
            }
            boolean nested = Character.isWhitespace(raw.isEmpty() ? 'x' : raw.charAt(0));
            int eq = line.indexOf('=');
            if (eq <= 0 || nested) {
                continue;
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            section.putIfAbsent(key, value);
        }
        return out;
    }

    /** The name in a "[name]" line, which may end with a comment; null for any other line. */
    private static String sectionName(String line) {
        int close = line.indexOf(']');
        if (!line.startsWith("[") || close < 0) {
            return null;
        }
        String rest = line.substring(close + 1).strip();
        if (!rest.isEmpty() && !rest.startsWith("#") && !rest.startsWith(";")) {
            return null;
        }
        return line.substring(1, close).strip();
    }
}
