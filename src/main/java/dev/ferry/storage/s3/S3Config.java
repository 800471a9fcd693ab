package dev.ferry.storage.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and as whom to talk S3.
 *
 * @param endpoint  scheme, host and port (and an optional base path), e.g. {@code https://s3.us-east-1.amazonaws.com}
 * @param pathStyle force path-style addressing; it is also used automatically for IP-literal and
 *                  localhost endpoints and for bucket names that cannot be host names
 */
public record S3Config(URI endpoint, String region, Credentials credentials, boolean pathStyle) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern DNS_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Config {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("endpoint must start with http:// or https://: " + endpoint);
        }
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the endpoint must not contain credentials");
        }
        if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint has no host: " + endpoint);
        }
    }

    /** The default AWS endpoint of a region. */
    public static URI awsEndpoint(String region) {
        return URI.create("https://s3." + region + ".amazonaws.com");
    }

    /** Whether requests for this bucket put the bucket in the path rather than in the host name. */
    public boolean usesPathStyle(String bucket) {
        if (pathStyle || isIpOrLocalhost(endpoint.getHost())) {
            return true;
        }
        if (!DNS_BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            return true;
        }
        // TLS wildcard certificates do not cover dotted bucket names
        return bucket.contains(".") && "https".equalsIgnoreCase(endpoint.getScheme());
    }

    public static boolean isIpOrLocalhost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || IPV4.matcher(h).matches()
                || h.startsWith("[") || h.contains(":");
    }

    /** The endpoint as a secret-free string without a trailing slash. */
    public String endpointId() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
