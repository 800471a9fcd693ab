package dev.ferry.app.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javafx.scene.input.DataFormat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.storage.ObjectRef;

/**
 * Objects and folders dragged out of the browser: which connection they belong to travels with them, so the
 * queue downloads them from there and not from the connection that serves pasted links.
 */
public record ObjectDrag(String connectionId, List<ObjectRef> objects, List<ObjectRef> folders) {
    public static final DataFormat FORMAT = new DataFormat("application/x-ferry-objects");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Wire(String connection, List<String[]> objects, List<String[]> folders) {
    }

    public ObjectDrag {
        objects = List.copyOf(objects);
        folders = List.copyOf(folders);
    }

    public String encode() {
        try {
            return JSON.writeValueAsString(new Wire(connectionId, pairs(objects), pairs(folders)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The drag in {@code text}, or empty when it is not one of ours. */
    public static Optional<ObjectDrag> decode(Object text) {
        if (!(text instanceof String s)) {
            return Optional.empty();
        }
        try {
            Wire w = JSON.readValue(s, Wire.class);
            if (w.connection() == null) {
                return Optional.empty();
            }
            return Optional.of(new ObjectDrag(w.connection(), refs(w.objects()), refs(w.folders())));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** As s3:// links, for targets outside Ferry (a text editor, a terminal). */
    public String asLinks() {
        return asLinks("s3://");
    }

    /** As links that start with {@code scheme} ("s3://" or "tos://", as the connection's kind has it). */
    public String asLinks(String scheme) {
        StringBuilder text = new StringBuilder();
        for (ObjectRef r : objects) {
            text.append(scheme).append(r.bucket()).append('/').append(r.key()).append('\n');
        }
        for (ObjectRef r : folders) {
            text.append(scheme).append(r.bucket()).append('/').append(r.key()).append('\n');
        }
        return text.toString();
    }

    private static List<String[]> pairs(List<ObjectRef> refs) {
        List<String[]> out = new ArrayList<>();
        for (ObjectRef r : refs) {
            out.add(new String[] {r.bucket(), r.key()});
        }
        return out;
    }

    private static List<ObjectRef> refs(List<String[]> pairs) {
        List<ObjectRef> out = new ArrayList<>();
        if (pairs != null) {
            for (String[] p : pairs) {
                if (p != null && p.length == 2 && p[0] != null && p[1] != null) {
                    out.add(ObjectRef.of(p[0], p[1]));
                }
            }
        }
        return out;
    }
}
