package dev.ferry.cli;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.ferry.cli.ObjectUri.Scheme;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;
import dev.ferry.storage.tos.TosConfig;
import dev.ferry.storage.tos.TosStore;
import picocli.CommandLine.Option;

/**
 * Where the store is and who we are there. For {@code s3://}: options, then environment, then AWS profile files;
 * an explicit {@code --profile} wins over credentials in the environment, as in the AWS CLI. For {@code tos://}:
 * options, then the {@code TOS_*} variables the TOS SDKs and tools read.
 */
public final class StoreOptions {
    @Option(names = "--endpoint", paramLabel = "URL",
            description = {"s3://: the endpoint, e.g. http://127.0.0.1:9000 (default: AWS_ENDPOINT_URL, the "
                    + "profile's endpoint_url, else AWS S3 in the region)",
                    "tos://: the TOS endpoint, e.g. tos-cn-beijing.volces.com (https unless http:// is written; "
                            + "default: TOS_ENDPOINT, else the public endpoint of the region)"})
    String endpoint;

    @Option(names = "--region", paramLabel = "R",
            description = "Signing region (s3://: default AWS_REGION, the profile's region, us-east-1; "
                    + "tos://: default TOS_REGION, else the one the endpoint names)")
    String region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "s3:// only: profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, default)")
    String profile;

    @Option(names = "--path-style", description = "Path-style addressing (automatic for IP and localhost endpoints)")
    boolean pathStyle;

    /** Settings resolved, with credentials when they were needed and found (enough without to name a checkpoint). */
    public record Resolved(Scheme scheme, URI endpoint, String region, boolean pathStyle, Credentials credentials) {
        /** What the store opened from this answers to {@code endpointId()}: checkpoints are named after it. */
        public String endpointId() {
            if (scheme == Scheme.TOS) {
                return TosStore.endpointId(endpoint);
            }
            String s = endpoint.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }

    public Resolved resolve(Scheme scheme, Map<String, String> env, boolean needCredentials) {
        return scheme == Scheme.TOS ? resolveTos(env, needCredentials) : resolveS3(env, needCredentials);
    }

    private Resolved resolveS3(Map<String, String> env, boolean needCredentials) {
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
            refuseNativeTos(uri);
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
        return new Resolved(Scheme.S3, uri, reg, pathStyle, creds);
    }

    /** A TOS endpoint ({@code tos-cn-beijing.volces.com}) does not speak S3: say which endpoint does. */
    private static void refuseNativeTos(URI uri) {
        Optional<String> tosRegion = TosConfig.regionOf(uri.getHost());
        if (tosRegion.isPresent()) {
            throw new UsageException("the endpoint " + uri.getHost() + " speaks TOS' own protocol: use tos:// URIs "
                    + "with it, or the S3 endpoint tos-s3-" + uri.getHost().substring("tos-".length())
                    + " with s3:// URIs");
        }
    }

    private Resolved resolveTos(Map<String, String> env, boolean needCredentials) {
        if (profile != null) {
            throw new UsageException("--profile reads AWS profiles and applies to s3:// URIs only; tos:// URIs take "
                    + "TOS_ACCESS_KEY and TOS_SECRET_KEY");
        }
        String reg = firstNonBlank(region);
        String ep = firstNonBlank(endpoint, env.get("TOS_ENDPOINT"));
        if (reg == null && (ep == null || !namesRegion(ep))) {
            // an endpoint that names its region wins over TOS_REGION; --region is checked against it
            reg = firstNonBlank(env.get("TOS_REGION"));
        }
        if (ep == null && reg == null) {
            throw new UsageException("no TOS endpoint: pass --endpoint (such as tos-cn-beijing.volces.com) or "
                    + "--region (such as cn-beijing), or set TOS_ENDPOINT or TOS_REGION");
        }
        if (ep == null) {
            if (!reg.toLowerCase(Locale.ROOT).matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new UsageException("'" + reg + "' is not a TOS region name (such as cn-beijing)");
            }
            ep = TosConfig.publicEndpoint(reg.toLowerCase(Locale.ROOT)).toString();
        }
        Credentials creds = tosCredentials(env);
        if (creds == null && needCredentials) {
            throw new UsageException("no TOS credentials: set TOS_ACCESS_KEY and TOS_SECRET_KEY "
                    + "(and TOS_SECURITY_TOKEN for temporary keys)");
        }
        TosConfig config;
        try {
            // the rules for endpoint and region are TosConfig's; keys that are not needed yet stand in blank
            config = TosConfig.of(ep, reg, creds != null ? creds : new Credentials("", "", null), pathStyle);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return new Resolved(Scheme.TOS, config.endpoint(), config.region(), pathStyle, creds);
    }

    /** Whether a TOS endpoint as typed (with or without a scheme) names its region, as tos-cn-beijing.volces.com does. */
    private static boolean namesRegion(String endpoint) {
        String withScheme = endpoint.contains("://") ? endpoint : "https://" + endpoint;
        try {
            return TosConfig.regionOf(URI.create(withScheme).getHost()).isPresent();
        } catch (IllegalArgumentException notAUri) {
            return false; // TosConfig.of explains
        }
    }

    private static Credentials tosCredentials(Map<String, String> env) {
        String key = env.get("TOS_ACCESS_KEY");
        String secret = env.get("TOS_SECRET_KEY");
        if (!notBlank(key) || !notBlank(secret)) {
            return null;
        }
        return new Credentials(key.strip(), secret.strip(), env.get("TOS_SECURITY_TOKEN"));
    }

    static URI parseEndpoint(String ep) {
        URI uri;
        try {
            uri = URI.create(ep.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid endpoint" + schemeHint(ep)
                    + " (expected http://host[:port] or https://host)");
        }
        String scheme = uri.getScheme();
        if (uri.getRawUserInfo() != null) {
            throw new UsageException("the endpoint must not contain credentials; use AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY or a profile");
        }
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            // never repeated with an '@' in it: what comes before may be a secret
            throw new UsageException("invalid endpoint" + (ep.contains("@") ? "" : " '" + ep + "'") + schemeHint(ep)
                    + " (expected http://host[:port] or https://host)");
        }
        return uri;
    }

    /**
     * For an endpoint written without its scheme ({@code 127.0.0.1:9000}), the one it probably means. Nothing for one
     * with an '@', which may hold a secret that must not be repeated.
     */
    static String schemeHint(String ep) {
        String e = ep.strip();
        if (e.isEmpty() || e.contains("://") || e.contains("@") || e.contains(" ")) {
            return "";
        }
        return ": did you mean https://" + e + " (or http://" + e + ")?";
    }

    public CopyStore open(Resolved r, int maxConnections) {
        return open(r, maxConnections, HttpClients.READ_TIMEOUT);
    }

    /** A store whose answers may take up to {@code readTimeout} between bytes (server-side copies take long). */
    public CopyStore open(Resolved r, int maxConnections, Duration readTimeout) {
        return open(r, maxConnections, readTimeout, 0);
    }

    /**
     * A store for downloads held to {@code bytesPerSecond} in all (0: none); one object is fetched over at most
     * {@code connectionsPerObject} of its {@code maxConnections}, and must reach the limit alone.
     */
    public CopyStore openLimited(Resolved r, int maxConnections, int connectionsPerObject, long bytesPerSecond) {
        return open(r, maxConnections, HttpClients.READ_TIMEOUT,
                HttpClients.receiveBufferFor(bytesPerSecond, connectionsPerObject));
    }

    private CopyStore open(Resolved r, int maxConnections, Duration readTimeout, int receiveBuffer) {
        boolean tls = "https".equalsIgnoreCase(r.endpoint().getScheme());
        var http = HttpClients.create(maxConnections, HttpClients.CONNECT_TIMEOUT, readTimeout, tls, receiveBuffer);
        if (r.scheme() == Scheme.TOS) {
            return new TosStore(new TosConfig(r.endpoint(), r.region(), r.credentials(), r.pathStyle()), http,
                    RetryPolicy.DEFAULT);
        }
        return new S3Store(new S3Config(r.endpoint(), r.region(), r.credentials(), r.pathStyle()), http,
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
