package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.ferry.profiles.StoreKind;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.http.Link;

/**
 * Reads links out of dropped or pasted text (plain text or a {@code text/uri-list}): one per line, blank lines
 * and {@code #} comments skipped, duplicates dropped. Each becomes an object, a folder (a key ending in '/')
 * or a reason it cannot be taken. Links are {@code s3://bucket/key} or {@code tos://bucket/key}; one piece of
 * text is taken as one kind (that of its first link), since one connection serves it. Plain {@code http://} and
 * {@code https://} links need no connection and come with any of them.
 */
public final class Links {
    /**
     * What a piece of text holds.
     *
     * @param kind the kind of store its links name (S3 when it holds none)
     */
    public record Parsed(List<ObjectRef> objects, List<ObjectRef> folders, List<String> problems, StoreKind kind,
                         List<Link> links) {
        public Parsed {
            kind = kind == null ? StoreKind.S3 : kind;
            links = links == null ? List.of() : List.copyOf(links);
        }

        /** Objects and folders of a connection whose kind does not matter here (dragged from the browser). */
        public Parsed(List<ObjectRef> objects, List<ObjectRef> folders, List<String> problems) {
            this(objects, folders, problems, StoreKind.S3, List.of());
        }

        public boolean isEmpty() {
            return objects.isEmpty() && folders.isEmpty() && links.isEmpty();
        }

        /** Whether it names objects or folders, which need a connection (plain links need none). */
        public boolean needsConnection() {
            return !objects.isEmpty() || !folders.isEmpty();
        }

        /** What a drop of this text will do, for the drop target: "Download 2 objects and 1 folder". */
        public String summary() {
            if (isEmpty()) {
                return problems.isEmpty() ? "Nothing to download" : problems.get(0);
            }
            List<String> parts = new ArrayList<>();
            if (!objects.isEmpty()) {
                parts.add(objects.size() == 1 ? objects.get(0).fileName() : objects.size() + " objects");
            }
            if (!links.isEmpty()) {
                parts.add(links.size() == 1 ? nameOf(links.get(0)) : links.size() + " links");
            }
            if (!folders.isEmpty()) {
                parts.add(folders.size() == 1 ? "folder " + folders.get(0).key() : folders.size() + " folders");
            }
            String text = "Download " + String.join(" and ", parts);
            return problems.isEmpty() ? text : text + " (" + problems.size() + " not taken)";
        }
    }

    private Links() {
    }

    private static String nameOf(Link link) {
        String name = link.lastSegment();
        return name == null ? link.display() : name;
    }

    public static Parsed parse(String text) {
        List<ObjectRef> objects = new ArrayList<>();
        List<ObjectRef> folders = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        if (text == null) {
            return new Parsed(objects, folders, problems);
        }
        Set<String> seen = new LinkedHashSet<>();
        StoreKind kind = null;
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || !seen.add(line)) {
                continue;
            }
            StoreKind linkKind = kindOf(line);
            String lower = line.toLowerCase(Locale.ROOT);
            if (linkKind != null && (kind == null || kind == linkKind)) {
                if (add(line, linkKind, objects, folders, problems)) {
                    kind = linkKind;
                }
            } else if (linkKind != null) {
                problems.add(shorten(line) + ": " + kind.scheme() + " and " + linkKind.scheme()
                        + " links are served by different connections; add them separately");
            } else if (Link.looksLikeLink(lower)) {
                try {
                    links.add(Link.parse(line));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            } else {
                problems.add(shorten(Link.redactText(line)) + ": not a link (expected s3://bucket/key, tos://bucket/key"
                        + " or an http(s):// link)");
            }
        }
        return new Parsed(objects, folders, problems, kind, links);
    }

    private static StoreKind kindOf(String line) {
        for (StoreKind k : StoreKind.values()) {
            if (line.regionMatches(true, 0, k.scheme(), 0, k.scheme().length())) {
                return k;
            }
        }
        return null;
    }

    /** Adds the link's object or folder; false (with the reason among the problems) when it names none. */
    private static boolean add(String line, StoreKind kind, List<ObjectRef> objects, List<ObjectRef> folders,
                               List<String> problems) {
        String rest = line.substring(kind.scheme().length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty() || !bucket.matches("[A-Za-z0-9._-]{1,255}")) {
            problems.add(shorten(line) + ": no valid bucket name");
            return false;
        }
        if (key.isEmpty() || key.endsWith("/")) {
            folders.add(ObjectRef.of(bucket, key));
        } else {
            objects.add(ObjectRef.of(bucket, key));
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
