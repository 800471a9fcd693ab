package dev.ferry.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the AWS shared files: {@code ~/.aws/credentials} (sections {@code [name]}) and
 * {@code ~/.aws/config} (sections {@code [profile name]} and {@code [default]}), honouring
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}. Nested sub-sections are skipped.
 */
public final class AwsProfiles {
    private final Map<String, Map<String, String>> credentials;
    private final Map<String, Map<String, String>> config;

    AwsProfiles(Map<String, Map<String, String>> credentials, Map<String, Map<String, String>> config) {
        this.credentials = credentials;
        this.config = config;
    }

    public static AwsProfiles load(Map<String, String> env) {
        String home = System.getProperty("user.home");
        Path credFile = Path.of(env.getOrDefault("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials"));
        Path confFile = Path.of(env.getOrDefault("AWS_CONFIG_FILE", home + "/.aws/config"));
        return new AwsProfiles(parse(credFile, false), parse(confFile, true));
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

    static Map<String, Map<String, String>> parseText(String text, boolean configStyle) {
        Map<String, Map<String, String>> out = new HashMap<>();
        Map<String, String> section = null;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip();
                if (configStyle && name.startsWith("profile ")) {
                    name = name.substring(8).strip();
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
}
