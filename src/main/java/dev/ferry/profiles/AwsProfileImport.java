package dev.ferry.profiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ferry.profiles.ConnectionProfile.Origin;
import dev.ferry.storage.s3.S3Config;

/**
 * The profiles of {@code ~/.aws/credentials} and {@code ~/.aws/config} (or the files
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE} name), offered as read-only
 * connections named "AWS profile: NAME". Only profiles with an access key and a secret key are offered:
 * Ferry cannot sign in through SSO or a credential process. The files are read again on every call, so
 * edits to them show at once, and their secrets are never copied anywhere.
 */
public final class AwsProfileImport {
    /** Ids of imported profiles are this prefix and the profile's name in the AWS files. */
    public static final String ID_PREFIX = "aws:";
    public static final String NAME_PREFIX = "AWS profile: ";

    private final Map<String, String> env;

    /** @param env the environment to find the files by ({@code System.getenv()} in the app) */
    public AwsProfileImport(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static AwsProfileImport fromEnvironment() {
        return new AwsProfileImport(System.getenv());
    }

    /** The usable profiles, "default" first, then by name. */
    public List<ConnectionProfile> list() {
        AwsSharedFiles files = AwsSharedFiles.load(env);
        List<ConnectionProfile> out = new ArrayList<>();
        files.names().stream()
                .sorted((a, b) -> a.equals("default") ? -1 : b.equals("default") ? 1 : a.compareTo(b))
                .forEach(name -> toProfile(files, name).ifPresent(out::add));
        return out;
    }

    /** The secrets of an imported profile, read from the files now; empty when it is gone or has none. */
    public Optional<Secrets> secrets(String profileId) {
        if (!profileId.startsWith(ID_PREFIX)) {
            return Optional.empty();
        }
        AwsSharedFiles files = AwsSharedFiles.load(env);
        String name = profileId.substring(ID_PREFIX.length());
        String secret = files.get(name, "aws_secret_access_key");
        if (secret == null || files.get(name, "aws_access_key_id") == null) {
            return Optional.empty();
        }
        return Optional.of(new Secrets(secret, files.get(name, "aws_session_token")));
    }

    private static Optional<ConnectionProfile> toProfile(AwsSharedFiles files, String name) {
        String key = files.get(name, "aws_access_key_id");
        String secret = files.get(name, "aws_secret_access_key");
        if (key == null || secret == null) {
            return Optional.empty();
        }
        String region = files.get(name, "region");
        if (region == null) {
            region = ConnectionProfile.DEFAULT_REGION;
        }
        String endpoint = files.get(name, "endpoint_url");
        try {
            endpoint = endpoint == null ? S3Config.awsEndpoint(region).toString()
                    : ProfileRules.parseEndpoint(endpoint).toString();
        } catch (IllegalArgumentException badEndpointOrRegion) {
            return Optional.empty();
        }
        boolean token = files.get(name, "aws_session_token") != null;
        return Optional.of(new ConnectionProfile(ID_PREFIX + name, NAME_PREFIX + name, StoreKind.S3, endpoint, region,
                false, key, token, Origin.AWS_FILES));
    }
}
