package dev.ferry.profiles;

/**
 * What testing a connection came to, in one sentence for people: never a stack trace, never a secret.
 *
 * @param ok whether the endpoint answered and accepted the keys
 */
public record ConnectionTest(boolean ok, String message) {
    static ConnectionTest passed(String message) {
        return new ConnectionTest(true, message);
    }

    static ConnectionTest failed(String message) {
        return new ConnectionTest(false, message);
    }
}
