package dev.ferry.profiles;

import java.util.Objects;

import dev.ferry.storage.s3.Credentials;

/** A profile together with its secrets: everything needed to connect. {@link #toString()} hides the secrets. */
public record ResolvedProfile(ConnectionProfile profile, Secrets secrets) {
    public ResolvedProfile {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(secrets, "secrets");
    }

    public Credentials credentials() {
        return secrets.credentials(profile.accessKeyId());
    }
}
