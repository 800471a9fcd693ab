package dev.ferry.storage;

import java.util.List;

/** One page of a listing: objects, common prefixes (folders) and the token for the next page. */
public record ListPage(List<ObjectSummary> objects, List<String> prefixes, String nextToken) {
    public ListPage {
        objects = List.copyOf(objects);
        prefixes = List.copyOf(prefixes);
    }

    public boolean truncated() {
        return nextToken != null;
    }

    /**
     * The query of a ListObjectsV2-style request for one page ({@code list-type=2}): prefix and delimiter when
     * given, the continuation token from the second page on. Sorted, as request signing wants it.
     */
    public static java.util.SortedMap<String, String> query(String prefix, String delimiter, String continuationToken,
                                                             int maxKeys) {
        java.util.SortedMap<String, String> q = new java.util.TreeMap<>();
        q.put("list-type", "2");
        q.put("max-keys", Integer.toString(maxKeys));
        if (prefix != null && !prefix.isEmpty()) {
            q.put("prefix", prefix);
        }
        if (delimiter != null && !delimiter.isEmpty()) {
            q.put("delimiter", delimiter);
        }
        if (continuationToken != null) {
            q.put("continuation-token", continuationToken);
        }
        return q;
    }
}
