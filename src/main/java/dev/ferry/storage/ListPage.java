package dev.ferry.storage;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One page of a listing: objects, common prefixes (folders) and the token for the next page. */
public record ListPage(List<ObjectSummary> objects, List<String> prefixes, String nextToken) {
    public ListPage {
        objects = List.copyOf(objects);
        prefixes = List.copyOf(prefixes);
    }

    public boolean truncated() {
        return nextToken != null;
    }

    /** This page, unless it names as the next page the one just asked for: following it would never end. */
    public ListPage advancing(String op, String askedToken) throws StoreException {
        if (nextToken != null && nextToken.equals(askedToken)) {
            throw StoreException.noProgress(op);
        }
        return this;
    }

    /**
     * The query of a ListObjectsV2-style request for one page ({@code list-type=2}): prefix and delimiter when
     * given, the continuation token from the second page on. A map the caller may add its own parameters to.
     */
    public static Map<String, String> query(String prefix, String delimiter, String continuationToken, int maxKeys) {
        Map<String, String> q = new TreeMap<>();
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
