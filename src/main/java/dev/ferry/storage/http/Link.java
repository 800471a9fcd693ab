package dev.ferry.storage.http;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.ferry.storage.ObjectRef;
import okhttp3.HttpUrl;

/**
 * A plain HTTP(S) link to one file. It keeps the whole URL, query and user info included, for the requests
 * only: everything it shows, logs or records ({@link #display()}, {@link #ref()}) leaves out the query string
 * (presigned links carry their signature and tokens there) and any password.
 */
public final class Link {
    private final HttpUrl url;

    private Link(HttpUrl url) {
        this.url = url;
    }

    /** True for text that looks like an http:// or https:// link (whether or not it is a valid one). */
    public static boolean looksLikeLink(String text) {
        if (text == null) {
            return false;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        return t.startsWith("http://") || t.startsWith("https://");
    }

    /**
     * Parses an http:// or https:// link.
     *
     * @throws IllegalArgumentException with a message fit for the person who gave it (never containing the
     *                                  query string)
     */
    public static Link parse(String text) {
        if (!looksLikeLink(text)) {
            throw new IllegalArgumentException("not an http:// or https:// link");
        }
        HttpUrl parsed = HttpUrl.parse(text.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("not a valid link: " + beforeQuery(text.strip()));
        }
        if (parsed.host().isEmpty()) {
            throw new IllegalArgumentException("the link has no host: " + beforeQuery(text.strip()));
        }
        return new Link(parsed.newBuilder().fragment(null).build());
    }

    public static Link of(HttpUrl url) {
        return new Link(Objects.requireNonNull(url, "url").newBuilder().fragment(null).build());
    }

    /** The full URL, for requests only: it may hold signatures and a password. */
    public HttpUrl url() {
        return url;
    }

    /** {@code scheme://host[:port]}: where the link points, without user info. */
    public String origin() {
        return origin(url);
    }

    static String origin(HttpUrl u) {
        boolean defaultPort = u.port() == HttpUrl.defaultPort(u.scheme());
        String host = u.host().contains(":") ? "[" + u.host() + "]" : u.host();
        return u.scheme() + "://" + host + (defaultPort ? "" : ":" + u.port());
    }

    /** Whether the link has a query string (which may hold a signature or token and so is never shown). */
    public boolean hasQuery() {
        return url.encodedQuery() != null;
    }

    /** The link as it may be shown or logged: no password, no query (an ellipsis marks one). */
    public String display() {
        return origin() + url.encodedPath() + (hasQuery() ? "?…" : "");
    }

    /**
     * How checkpoints and messages name the file: the origin as the "bucket", the encoded path without its
     * first slash as the "key"; never the query.
     */
    public ObjectRef ref() {
        String path = url.encodedPath();
        return ObjectRef.of(origin(), path.startsWith("/") ? path.substring(1) : path);
    }

    /** User name and password given in the link, or null. */
    String basicAuthorization() {
        if (url.username().isEmpty() && url.password().isEmpty()) {
            return null;
        }
        return okhttp3.Credentials.basic(url.username(), url.password(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The last non-empty path segment, decoded, or null when the path has none (e.g. {@code https://host/}). */
    public String lastSegment() {
        List<String> segments = url.pathSegments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (!segments.get(i).isEmpty()) {
                return segments.get(i);
            }
        }
        return null;
    }

    /** Removes the query strings and user info of any links in a message. */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        // a query ends at white space, or at punctuation that ends a sentence or clause
        return text.replaceAll("(?i)(https?://)[^/\\s@]*@", "$1")
                .replaceAll("(?i)(https?://[^\\s?#]*)\\?[^\\s]*?(?=[,;.)\\]]*(\\s|$))", "$1?…");
    }

    /** Text that failed to parse as a link, shown up to its query and without user info. */
    private static String beforeQuery(String text) {
        int q = text.indexOf('?');
        return redactText(q < 0 ? text : text.substring(0, q) + "?…");
    }

    @Override
    public String toString() {
        return display();
    }
}
