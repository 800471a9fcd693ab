package dev.ferry.cli;

import java.nio.file.Path;
import java.util.Map;

import dev.ferry.profiles.AwsSharedFiles;

/**
 * The AWS shared files as the CLI reads them: {@code ~/.aws/credentials} and {@code ~/.aws/config},
 * honouring {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE}. The parsing lives in
 * {@link AwsSharedFiles}, which the desktop app's connection list reads too.
 */
public final class AwsProfiles {
    private final AwsSharedFiles files;

    private AwsProfiles(AwsSharedFiles files) {
        this.files = files;
    }

    public static AwsProfiles load(Map<String, String> env) {
        return new AwsProfiles(AwsSharedFiles.load(env));
    }

    /** The file an environment variable names; a leading '~' is the home folder, as the AWS CLI and SDKs read it. */
    static Path filePath(String fromEnv, String home, String defaultName) {
        return AwsSharedFiles.filePath(fromEnv, home, defaultName);
    }

    public boolean exists(String profile) {
        return files.exists(profile);
    }

    /** A setting of the profile: the credentials file wins over the config file. */
    public String get(String profile, String name) {
        return files.get(profile, name);
    }

    static Map<String, Map<String, String>> parseText(String text, boolean configStyle) {
        return AwsSharedFiles.parseText(text, configStyle);
    }
}
