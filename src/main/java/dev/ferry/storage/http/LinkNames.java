package dev.ferry.storage.http;

import dev.ferry.storage.ObjectInfo;

/** The name a link's file is saved under when the person names only a folder. */
public final class LinkNames {
    /** The name of a file whose link and server suggest none. */
    public static final String FALLBACK = "download";

    private LinkNames() {
    }

    /**
     * The server's Content-Disposition name, else the link's last path segment, else {@value #FALLBACK}: one
     * segment (a suggested path keeps only its last part), not yet made safe for a file system.
     */
    public static String fileName(Link link, ObjectInfo info) {
        String suggested = info == null ? null
                : ContentDisposition.fileName(info.metadata().get("content-disposition"));
        if (suggested != null) {
            suggested = suggested.substring(Math.max(suggested.lastIndexOf('/'), suggested.lastIndexOf('\\')) + 1);
        }
        String name = suggested != null && !suggested.isBlank() ? suggested : link.lastSegment();
        return name == null || name.isBlank() ? FALLBACK : name;
    }
}
