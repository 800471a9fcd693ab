package dev.ferry.app.about;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What the About dialog tells: Ferry's version (from the build), its licence and the notices of the libraries it
 * bundles, the last two the very files at the top of the project, copied into the jar by the build.
 *
 * @param version  the version Maven built, or "development build" when run from classes the build did not filter
 * @param licence  the text of LICENSE
 * @param notices  the text of THIRD-PARTY-NOTICES
 */
public record AboutInfo(String version, String licence, String notices) {
    static final String LICENCE_NAME = "Apache License 2.0";

    public static AboutInfo load() {
        return new AboutInfo(builtVersion(), text("LICENSE"), text("THIRD-PARTY-NOTICES"));
    }

    static String builtVersion() {
        Properties p = new Properties();
        try (InputStream in = AboutInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException unreadable) {
            // fall through to the manifest
        }
        String v = p.getProperty("version");
        if (v == null || v.isBlank() || v.contains("${")) {
            v = AboutInfo.class.getPackage().getImplementationVersion();
        }
        return v == null || v.isBlank() ? "development build" : v.strip();
    }

    private static String text(String name) {
        try (InputStream in = AboutInfo.class.getResourceAsStream(name)) {
            return in == null ? name + " is missing from this build." : new String(in.readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return name + " could not be read: " + e.getMessage();
        }
    }
}
