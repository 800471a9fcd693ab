package dev.ferry.profiles;

import java.util.Objects;

/** Something wrong with one field of a profile, said so that a person can fix it. */
public record Problem(ProfileField field, String message) {
    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }
}
