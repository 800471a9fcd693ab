package dev.ferry.storage.tos;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;

/**
 * Where and as whom to talk TOS.
 *
 * <p>Requests go virtual-hosted ({@code https://bucket.tos-cn-beijing.volces.com/key}) unless the endpoint is an
 * IP address or localhost, or {@code pathStyle} is asked for ({@code https://host/bucket/key}). Endpoints whose
 * host starts with {@code tos-s3-} speak the S3 protocol and are refused here: they belong to S3 mode.
 *
 * @param endpoint scheme, host and port, e.g. {@code https://tos-cn-beijing.volces.com}
 * @param region   the signing region, e.g. {@code cn-beijing}
 */
public record TosConfig(URI endpoint, String region, Credentials credentials, boolean pathStyle) {
    /** {@code tos-<region>.volces.com} (public), {@code tos-<region>.ivolces.com} (internal), BytePlus' too. */
    private static final Pattern REGION_HOST =
            Pattern.compile("tos-(?!s3-)([a-z0-9]+(?:-[a-z0-9]+)*)\\.(?:volces|ivolces|bytepluses|ibytepluses)\\.com");
    /** The same with a bucket in front, as an endpoint someone copied from a bucket's overview. */
    private static final Pattern BUCKET_HOST = Pattern.compile("([a-z0-9][a-z0-9-]*)\\.(" + REGION_HOST.pattern() + ")");
    private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    /** TOS bucket names: 3-63 of a-z, 0-9 and '-', not starting or ending with '-'. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    public TosConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        checkEndpoint(endpoint);
        if (!REGION_NAME.matcher(region).matches()) {
            throw new IllegalArgumentException("'" + region + "' is not a TOS region name (such as cn-beijing)");
        }
        Optional<String> hostRegion = regionOf(endpoint.getHost());
        if (hostRegion.isPresent() && !hostRegion.get().equals(region)) {
            throw new IllegalArgumentException("the endpoint " + endpoint.getHost() + " is in region "
                    + hostRegion.get() + ", not " + region + "; leave the region empty to take the endpoint's");
        }
    }

    /**
     * A configuration from what a person types: an endpoint with or without {@code https://}, and a region
     * that may be null or blank when the endpoint's host names it ({@code tos-cn-beijing.volces.com}).
     *
     * @throws IllegalArgumentException with a message fit to show when the endpoint or region will not do
     */
    public static TosConfig of(String endpoint, String region, Credentials credentials, boolean pathStyle) {
        URI uri = parseEndpoint(endpoint);
        checkEndpoint(uri); // before guessing a region from a host that may not be a TOS endpoint at all
        String r = region == null || region.isBlank() ? null : region.strip().toLowerCase(Locale.ROOT);
        if (r == null) {
            r = regionOf(uri.getHost()).orElseThrow(() -> new IllegalArgumentException("cannot tell the region from "
                    + "the endpoint " + uri.getHost() + "; give the region as well (such as cn-beijing)"));
        }
        return new TosConfig(uri, r, credentials, pathStyle);
    }

    /** The endpoint for a region's public TOS service. */
    public static URI publicEndpoint(String region) {
        return URI.create("https://tos-" + region + ".volces.com");
    }

    /** The region a TOS endpoint host names, such as {@code cn-beijing} for {@code tos-cn-beijing.volces.com}. */
    public static Optional<String> regionOf(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = REGION_HOST.matcher(host.toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether requests for this bucket put the bucket in the path rather than in the host name. */
    public boolean usesPathStyle(String bucket) {
        return pathStyle || S3Config.isIpOrLocalhost(endpoint.getHost()) || !BUCKET_NAME.matcher(bucket).matches();
    }

    /** The endpoint as a secret-free string without a trailing slash. */
    public String endpointId() {
        String s = endpoint.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static URI parseEndpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("no endpoint given (such as https://tos-cn-beijing.volces.com)");
        }
        String s = endpoint.strip();
        if (!s.contains("://")) {
            s = "https://" + s;
        }
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + endpoint.strip() + "' is not a valid endpoint URL: "
                    + e.getReason());
        }
    }

    private static void checkEndpoint(URI endpoint) {
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the endpoint must start with https:// or http://: " + endpoint);
        }
        if (endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the endpoint must not contain credentials");
        }
        String host = endpoint.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the endpoint has no host name: " + endpoint);
        }
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
            throw new IllegalArgumentException("the endpoint must be a plain host, without ? or #: " + endpoint);
        }
        String path = endpoint.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("the endpoint must be a plain host without a path (" + path
                    + "); give bucket and key separately");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        int s3 = lower.startsWith("tos-s3-") ? 0 : lower.indexOf(".tos-s3-") + 1;
        if (s3 > 0 || lower.startsWith("tos-s3-")) {
            String tosHost = "tos-" + lower.substring(s3 + "tos-s3-".length());
            throw new IllegalArgumentException("the endpoint " + host + " speaks the S3 protocol (SigV4): use it in "
                    + "S3 mode, or use the TOS endpoint " + tosHost + " in TOS mode");
        }
        Matcher bucketHost = BUCKET_HOST.matcher(lower);
        if (bucketHost.matches()) {
            throw new IllegalArgumentException("the endpoint " + host + " names the bucket '" + bucketHost.group(1)
                    + "'; give the region endpoint " + bucketHost.group(2) + " and the bucket separately");
        }
    }
}
