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
}
