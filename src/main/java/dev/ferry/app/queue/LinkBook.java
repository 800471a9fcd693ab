package dev.ferry.app.queue;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import dev.ferry.profiles.SecretStore;
import dev.ferry.profiles.Secrets;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.Link;

/**
 * The plain links of queued downloads. A link download's "connection" is an id of its own ({@code link:…}); the
 * queue file keeps only what {@link Link#ref()} shows (origin and path), so a link's query string (a presigned
 * link's signature and token) and any password go to the secret store, under that id, and nowhere else.
 */
public final class LinkBook {
    public static final String PREFIX = "link:";

    private final SecretStore secrets;

    public LinkBook(SecretStore secrets) {
        this.secrets = secrets;
    }

    public static boolean isLink(String connectionId) {
        return connectionId != null && connectionId.startsWith(PREFIX);
    }

    /** A new id for a download of {@code link}; what the link must keep secret is stored under it. */
    public String register(Link link) throws IOException {
        String id = PREFIX + UUID.randomUUID();
        keep(id, link);
        return id;
    }

    /** Points the download {@code id} at a fresh link to its file (an expired presigned link renewed). */
    public void replace(String id, Link fresh) throws IOException {
        if (!isLink(id)) {
            throw new IllegalArgumentException("not a link download: " + id);
        }
        keep(id, fresh);
    }

    /** Kept whole, even without a query: a fresh link may name the file at another path or host. */
    private void keep(String id, Link link) throws IOException {
        secrets.put(id, new Secrets(link.url().toString(), null));
    }

    /** The link of download {@code id}: the one stored, else (lost from the secret store) the one {@code ref} names. */
    public Link link(String id, ObjectRef ref) throws IOException {
        Optional<Secrets> stored = secrets.get(id);
        if (stored.isPresent()) {
            return Link.parse(stored.get().secretAccessKey());
        }
        return Link.parse(ref.bucket() + "/" + ref.key());
    }

    /** Forgets what was stored for a download that left the queue. */
    public void forget(String id) throws IOException {
        if (isLink(id)) {
            secrets.remove(id);
        }
    }
}
