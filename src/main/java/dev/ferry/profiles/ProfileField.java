package dev.ferry.profiles;

/** The fields of a connection profile a {@link Problem} can point at. */
public enum ProfileField {
    NAME, KIND, ENDPOINT, REGION, ACCESS_KEY, SECRET_KEY, SESSION_TOKEN
}
