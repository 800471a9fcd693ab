package dev.ferry.app.browser;

import java.time.Instant;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;

/**
 * One row of the browser: a bucket, a folder (a common prefix) or an object.
 *
 * @param key          the object's key, the folder's prefix (ending in '/'), or "" for a bucket
 * @param name         what the row shows: the bucket's name, or the key relative to the listed folder
 * @param size         bytes, -1 for buckets and folders
 * @param lastModified the object's last change or the bucket's creation, null when unknown
 */
public record Entry(Kind kind, String bucket, String key, String name, long size, Instant lastModified) {
    /** What a row stands for; folders and buckets open, objects do not. */
    public enum Kind { BUCKET, FOLDER, OBJECT }

    static Entry bucket(BucketSummary b) {
        return new Entry(Kind.BUCKET, b.name(), "", b.name(), -1, b.created());
    }

    static Entry folder(String bucket, String parent, String prefix) {
        return new Entry(Kind.FOLDER, bucket, prefix, relative(parent, prefix), -1, null);
    }

    static Entry object(String bucket, String parent, ObjectSummary o) {
        return new Entry(Kind.OBJECT, bucket, o.key(), relative(parent, o.key()), o.size(), o.lastModified());
    }

    private static String relative(String parent, String key) {
        return key.startsWith(parent) && key.length() > parent.length() ? key.substring(parent.length()) : key;
    }

    /** Buckets and folders open on double-click; objects are only selected. */
    public boolean opens() {
        return kind != Kind.OBJECT;
    }

    /** The object, or the folder (its prefix, "" for the whole bucket) as Intake and ObjectDrag take it. */
    public ObjectRef ref() {
        return ObjectRef.of(bucket, key);
    }
}
