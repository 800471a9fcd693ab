package dev.ferry.app.browser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.ObjectSummary;

/**
 * Reads what the browser shows, one level and one page at a time (a bucket may hold millions of keys): blocking
 * calls for a background thread.
 */
final class Listing {
    /** Keys asked for per request; the most S3 answers with at once. */
    static final int PAGE_SIZE = 1000;

    /** Rows of one request, and the token that continues the listing (null when nothing is left). */
    record Page(List<Entry> entries, String nextToken) {
        Page {
            entries = List.copyOf(entries);
        }
    }

    private Listing() {
    }

    static Page buckets(ObjectStore store, CancelSignal cancel) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (BucketSummary b : store.listBuckets(cancel)) {
            out.add(Entry.bucket(b));
        }
        return new Page(out, null);
    }

    /** One page of the folders and objects directly inside {@code at}, after {@code token} (null for the first). */
    static Page level(ObjectStore store, Location at, String token, int maxKeys, CancelSignal cancel)
            throws IOException {
        ListPage page = store.list(at.bucket(), at.prefix(), "/", token, maxKeys, cancel);
        List<Entry> out = new ArrayList<>();
        for (String prefix : page.prefixes()) {
            out.add(Entry.folder(at.bucket(), at.prefix(), prefix));
        }
        for (ObjectSummary o : page.objects()) {
            if (!o.key().equals(at.prefix())) { // the folder's own marker object is the folder itself
                out.add(Entry.object(at.bucket(), at.prefix(), o));
            }
        }
        String next = page.nextToken();
        if (next != null && next.equals(token)) {
            throw new IOException("the server repeats the same page of " + at.text() + "; listing stopped");
        }
        return new Page(out, next);
    }
}
