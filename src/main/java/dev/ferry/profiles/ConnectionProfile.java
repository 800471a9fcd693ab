package dev.ferry.profiles;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;

/**
 * A named way to reach a store: where it is and who we are there, without the secrets (those live in a
 * {@link SecretStore}, or in the AWS credentials file for {@linkplain Origin#AWS_FILES imported} profiles).
 * Instances are valid: they come from {@link ProfileStore} or {@link AwsProfileImport}, which check them.
 *
 * @param id              stable identity, unchanged by renames
 * @param region          signing region, never blank ({@value #DEFAULT_REGION} when none was given)
 * @param hasSessionToken whether a session token is stored with the secret key
 */
public record ConnectionProfile(String id, String name, StoreKind kind, String endpoint, String region,
                                boolean pathStyle, String accessKeyId, boolean hasSessionToken, Origin origin) {
    /** The region used when none is given, as the AWS CLI and Ferry's own CLI do. */
    public static final String DEFAULT_REGION = "us-east-1";

    /** Where a profile comes from. */
    public enum Origin {
        /** Saved by Ferry in its profiles file; editable. */
        FERRY,
        /** Read from ~/.aws/credentials and ~/.aws/config; read-only here. */
        AWS_FILES
    }

    public ConnectionProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(origin, "origin");
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Whether Ferry may change or remove this profile (imported ones belong to the AWS files). */
    public boolean editable() {
        return origin == Origin.FERRY;
    }

    public URI endpointUri() {
        return URI.create(endpoint);
    }

    /** "host:port" of the endpoint, with the scheme's default port when none is written. */
    public String hostAndPort() {
        URI uri = endpointUri();
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
