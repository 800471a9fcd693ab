package dev.ferry.app.browser;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.ferry.app.queue.ObjectDrag;
import dev.ferry.storage.ObjectRef;

/**
 * The selected rows as Intake and drags take them: objects, and folders (a bucket is the folder "" of itself).
 */
public record Picked(List<ObjectRef> objects, List<ObjectRef> folders) {
    public Picked {
        objects = List.copyOf(objects);
        folders = List.copyOf(folders);
    }

    public static Picked of(Collection<Entry> rows) {
        List<ObjectRef> objects = new ArrayList<>();
        List<ObjectRef> folders = new ArrayList<>();
        for (Entry e : rows) {
            if (e == null) {
                continue;
            }
            (e.kind() == Entry.Kind.OBJECT ? objects : folders).add(e.ref());
        }
        return new Picked(objects, folders);
    }

    public boolean isEmpty() {
        return objects.isEmpty() && folders.isEmpty();
    }

    public ObjectDrag drag(String connectionId) {
        return new ObjectDrag(connectionId, objects, folders);
    }

    /** "report.pdf", "folder photos/", "bucket logs", "3 objects and 2 folders". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (objects.size() == 1) {
            parts.add(objects.get(0).fileName());
        } else if (!objects.isEmpty()) {
            parts.add(objects.size() + " objects");
        }
        if (folders.size() == 1) {
            ObjectRef f = folders.get(0);
            parts.add(f.key().isEmpty() ? "bucket " + f.bucket() : "folder " + f.fileName() + "/");
        } else if (!folders.isEmpty()) {
            parts.add(folders.size() + " folders");
        }
        return parts.isEmpty() ? "nothing" : String.join(" and ", parts);
    }

    /** The folder (ending in '/', or "") each picked row lives in: where a copy to the same place would land. */
    static String parentOf(ObjectRef ref, boolean folder) {
        if (folder) {
            return ref.key().isEmpty() ? "" : Location.parentOf(ref.key());
        }
        return ref.key().substring(0, ref.key().lastIndexOf('/') + 1);
    }
}
