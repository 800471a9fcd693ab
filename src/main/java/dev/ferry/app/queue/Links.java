package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.ferry.storage.ObjectRef;

/**
 * Reads links out of dropped or pasted text (plain text or a {@code text/uri-list}): one per line, blank lines
 * and {@code #} comments skipped, duplicates dropped. Each becomes an object, a folder (a key ending in '/')
 * or a reason it cannot be taken.
 */
public final class Links {
    /** What a piece of text holds. */
    public record Parsed(List<ObjectRef> objects, List<ObjectRef> folders, List<String> problems) {
        public boolean isEmpty() {
            return objects.isEmpty() && folders.isEmpty();
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
            if (!folders.isEmpty()) {
                parts.add(folders.size() == 1 ? "folder " + folders.get(0).key() : folders.size() + " folders");
            }
            String text = "Download " + String.join(" and ", parts);
            return problems.isEmpty() ? text : text + " (" + problems.size() + " not taken)";
        }
    }

    private Links() {
    }

    public static Parsed parse(String text) {
        List<ObjectRef> objects = new ArrayList<>();
        List<ObjectRef> folders = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (text == null) {
            return new Parsed(objects, folders, problems);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || !seen.add(line)) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("s3://")) {
                addS3(line, objects, folders, problems);
            } else if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("tos://")) {
                problems.add(shorten(line) + ": only s3:// links can be downloaded in this version");
            } else {
                problems.add(shorten(line) + ": not a link (expected s3://bucket/key)");
            }
        }
        return new Parsed(objects, folders, problems);
    }

    private static void addS3(String line, List<ObjectRef> objects, List<ObjectRef> folders, List<String> problems) {
        String rest = line.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty() || !bucket.matches("[A-Za-z0-9._-]{1,255}")) {
            problems.add(shorten(line) + ": no valid bucket name");
            return;
        }
        if (key.isEmpty() || key.endsWith("/")) {
            folders.add(ObjectRef.of(bucket, key));
        } else {
            objects.add(ObjectRef.of(bucket, key));
        }
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
