package dev.ferry.cli;

import java.net.URI;
import java.util.Map;

import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import picocli.CommandLine.Option;

/**
 * Where the store is and who we are there: options, then environment, then AWS profile files.
 * An explicit {@code --profile} wins over credentials in the environment, as in the AWS CLI.
 */
public final class StoreOptions {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = "S3 endpoint, e.g. http://127.0.0.1:9000 (default: AWS_ENDPOINT_URL, the profile's "
                    + "endpoint_url, else AWS S3 in the region)")
    String endpoint;

    @Option(names = "--region", paramLabel = "R", description = "Signing region (default: AWS_REGION, the profile's region, us-east-1)")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "Profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, default)")
    String profile;

    @Option(names = "--path-style", description = "Path-style addressing (automatic for IP and localhost endpoints)")
    boolean pathStyle;

    /** Settings resolved without credentials (enough to name a checkpoint). */
    public record Resolved(URI endpoint, String region, boolean pathStyle, Credentials credentials) {
        public String endpointId() {
            String s = endpoint.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }

    public Resolved resolve(Map<String, String> env, boolean needCredentials) {
        AwsProfiles profiles = AwsProfiles.load(env);
        String profileName = profile != null ? profile : env.getOrDefault("AWS_PROFILE", "default");
        boolean profileAsked = profile != null || env.containsKey("AWS_PROFILE");
        if (profileAsked && !profiles.exists(profileName)) {
            throw new UsageException("unknown profile '" + profileName + "' (not in ~/.aws/credentials or ~/.aws/config)");
        }

        String reg = firstNonBlank(region, env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                profiles.get(profileName, "region"), "us-east-1");
        String ep = firstNonBlank(endpoint, env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"),
                profiles.get(profileName, "endpoint_url"));
        URI uri;
        if (ep == null) {
            uri = S3Config.awsEndpoint(reg);
        } else {
            uri = parseEndpoint(ep);
        }

        Credentials creds = null;
        String envKey = env.get("AWS_ACCESS_KEY_ID");
        String envSecret = env.get("AWS_SECRET_ACCESS_KEY");
        if (profile == null && notBlank(envKey) && notBlank(envSecret)) {
            creds = new Credentials(envKey, envSecret, env.get("AWS_SESSION_TOKEN"));
        } else {
            String key = profiles.get(profileName, "aws_access_key_id");
            String secret = profiles.get(profileName, "aws_secret_access_key");
            if (notBlank(key) && notBlank(secret)) {
                creds = new Credentials(key, secret, profiles.get(profileName, "aws_session_token"));
            }
        }
        if (creds == null && needCredentials) {
            throw new UsageException("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or add a profile to ~/.aws/credentials and pass --profile");
        }
        return new Resolved(uri, reg, pathStyle, creds);
    }

    static URI parseEndpoint(String ep) {
        URI uri;
        try {
            uri = URI.create(ep.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid endpoint (expected http://host[:port] or https://host)");
        }
        String scheme = uri.getScheme();
        if (uri.getRawUserInfo() != null) {
            throw new UsageException("the endpoint must not contain credentials; use AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY or a profile");
        }
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new UsageException("invalid endpoint '" + ep + "' (expected http://host[:port] or https://host)");
        }
        return uri;
    }

    public S3Store open(Resolved r, int maxConnections) {
        return open(r, maxConnections, HttpClients.READ_TIMEOUT);
    }

    /** A store whose answers may take up to {@code readTimeout} between bytes (server-side copies take long). */
    public S3Store open(Resolved r, int maxConnections, java.time.Duration readTimeout) {
        S3Config config = new S3Config(r.endpoint(), r.region(), r.credentials(), r.pathStyle());
        boolean tls = "https".equalsIgnoreCase(r.endpoint().getScheme());
        return new S3Store(config, HttpClients.create(maxConnections, HttpClients.CONNECT_TIMEOUT, readTimeout, tls),
                RetryPolicy.DEFAULT);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (notBlank(v)) {
                return v.strip();
            }
        }
        return null;
    }
}
