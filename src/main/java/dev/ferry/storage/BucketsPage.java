package dev.ferry.storage;

import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/** One page of a bucket listing and the token for the next page (null on the last). */
public record BucketsPage(List<BucketSummary> buckets, String nextToken) {
    public BucketsPage {
        buckets = List.copyOf(buckets);
    }

    /** Fetches the page that {@code token} names (null: the first). */
    @FunctionalInterface
    public interface Fetch {
        BucketsPage page(String token) throws StoreException, InterruptedIOException;
    }

    /**
     * Every bucket, page after page. Stores page this listing only when asked to, but a server that pages anyway
     * is followed through its token; one that names the page just read as the next is refused.
     */
    public static List<BucketSummary> all(Fetch fetch) throws StoreException, InterruptedIOException {
        List<BucketSummary> all = new ArrayList<>();
        String token = null;
        do {
            BucketsPage page = fetch.page(token);
            all.addAll(page.buckets());
            if (page.nextToken() != null && page.nextToken().equals(token)) {
                throw StoreException.noProgress("ListBuckets");
            }
            token = page.nextToken();
        } while (token != null);
        return all;
    }
}
