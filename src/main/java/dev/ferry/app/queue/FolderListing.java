package dev.ferry.app.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.ObjectSummary;

/** Every object under a prefix, all pages, for downloading a folder. */
public final class FolderListing {
    /** A listing larger than this is refused rather than queued by accident. */
    public static final int MAX_OBJECTS = 100_000;

    private FolderListing() {
    }

    /** The objects under {@code prefix} (recursively), skipping folder markers (keys ending in '/'). */
    public static List<ObjectSummary> objects(ObjectStore store, String bucket, String prefix, CancelSignal cancel)
            throws IOException {
        List<ObjectSummary> out = new ArrayList<>();
        String token = null;
        do {
            ListPage page = store.list(bucket, prefix, null, token, 1000, cancel);
            for (ObjectSummary o : page.objects()) {
                if (!o.key().endsWith("/")) {
                    out.add(o);
                }
            }
            if (out.size() > MAX_OBJECTS) {
                throw new IOException(bucket + "/" + prefix + " holds more than " + MAX_OBJECTS
                        + " objects; download a smaller folder");
            }
            token = page.nextToken();
        } while (token != null);
        return out;
    }
}
