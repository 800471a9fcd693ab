package dev.ferry.profiles;

import java.util.Objects;

import dev.ferry.storage.s3.Credentials;

/**
 * The secret half of a profile's credentials. {@link #toString()} never shows them.
 *
 * @param sessionToken null when there is none
 */
public record Secrets(String secretAccessKey, String sessionToken) {
    public Secrets {
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("the secret key is blank");
        }
        if (sessionToken != null && sessionToken.isBlank()) {
            sessionToken = null;
        }
    }

    public boolean hasSessionToken() {
        return sessionToken != null;
    }

    /** The full credentials for signing requests as {@code accessKeyId}. */
    public Credentials credentials(String accessKeyId) {
        return new Credentials(accessKeyId, secretAccessKey, sessionToken);
    }

    @Override
    public String toString() {
        return "Secrets[secretAccessKey=****" + (sessionToken == null ? "" : ", sessionToken=****") + "]";
    }
}
