package dev.ferry.testing.tos;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.ferry.storage.Crc64;

/**
 * The test server's buckets, objects and multipart uploads, in memory. Every method is atomic (one lock);
 * objects are immutable, so their bytes are streamed outside it.
 */
public final class TosState {
    private final Map<String, Bucket> buckets = new TreeMap<>();
    private final Map<String, Upload> uploads = new LinkedHashMap<>();
    private final AtomicLong versions = new AtomicLong();

    /** A bucket: its objects by key (the current versions) and, when versioned, every version by id. */
    private static final class Bucket {
        final Instant created;
        boolean versioned;
        final NavigableMap<String, StoredObject> objects = new TreeMap<>();
        final Map<String, StoredObject> byVersion = new LinkedHashMap<>();

        Bucket(Instant created) {
            this.created = created;
        }
    }

    /** A part of an upload: its bytes, quoted-MD5 ETag and CRC-64. */
    public record Part(int number, byte[] content, String etag, long crc64, Instant lastModified) {
        public long size() {
            return content.length;
        }
    }

    /** A multipart upload in progress, with the headers the object will get. */
    public record Upload(String id, String bucket, String key, Map<String, String> headers, Instant initiated,
                         NavigableMap<Integer, Part> parts) {
    }

    /** One page of a listing: objects and common prefixes in key order, and the last entry when cut short. */
    public record Listing(List<Map.Entry<String, StoredObject>> objects, List<String> prefixes, String truncatedAfter) {
    }

    // ---------------------------------------------------------------- buckets

    public synchronized void createBucket(String name, Instant at) {
        if (buckets.containsKey(name)) {
            throw new TosError(409, "BucketAlreadyExists", "The requested bucket name is not available.");
        }
        buckets.put(name, new Bucket(at));
    }

    public synchronized void versioning(String bucket, boolean on) {
        bucket(bucket).versioned = on;
    }

    public synchronized Map<String, Instant> buckets() {
        Map<String, Instant> out = new LinkedHashMap<>();
        buckets.forEach((name, b) -> out.put(name, b.created));
        return out;
    }

    public synchronized boolean hasBucket(String name) {
        return buckets.containsKey(name);
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw TosError.noSuchBucket();
        }
        return b;
    }

    // ---------------------------------------------------------------- objects

    public synchronized StoredObject put(String bucket, String key, byte[] content, Map<String, String> headers,
                                         Instant at) {
        Bucket b = bucket(bucket);
        return store(b, key, StoredObject.of(content, at, b.versioned ? nextVersion() : null, headers));
    }

    private StoredObject store(Bucket b, String key, StoredObject o) {
        b.objects.put(key, o);
        if (o.versionId() != null) {
            b.byVersion.put(o.versionId(), o);
        }
        return o;
    }

    private String nextVersion() {
        return "v" + versions.incrementAndGet() + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The object (a given version of it, when {@code versionId} is not null). */
    public synchronized StoredObject get(String bucket, String key, String versionId) {
        Bucket b = bucket(bucket);
        StoredObject o = versionId == null ? b.objects.get(key) : b.byVersion.get(versionId);
        if (o == null) {
            throw versionId == null ? TosError.noSuchKey()
                    : new TosError(404, "NoSuchVersion", "The specified version does not exist.");
        }
        return o;
    }

    public synchronized StoredObject find(String bucket, String key) {
        Bucket b = buckets.get(bucket);
        return b == null ? null : b.objects.get(key);
    }

    public synchronized void delete(String bucket, String key) {
        bucket(bucket).objects.remove(key);
    }

    /**
     * ListObjectsType2's page: entries (keys, or with a delimiter the common prefixes they fold into) after
     * {@code after}, in order, at most {@code max} of them.
     */
    public synchronized Listing list(String bucket, String prefix, String delimiter, String after, int max) {
        Bucket b = bucket(bucket);
        List<Map.Entry<String, StoredObject>> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String last = null;
        NavigableMap<String, StoredObject> from = after == null ? b.objects : b.objects.tailMap(after, false);
        for (Map.Entry<String, StoredObject> e : from.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                if (key.compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            String entry = key;
            int cut = delimiter.isEmpty() ? -1 : key.indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                entry = key.substring(0, cut + delimiter.length());
            }
            if (after != null && entry.compareTo(after) <= 0 || entry.equals(last)) {
                continue; // the rest of a common prefix already given
            }
            if (objects.size() + prefixes.size() == max) {
                return new Listing(objects, prefixes, last);
            }
            if (cut >= 0) {
                prefixes.add(entry);
            } else {
                objects.add(Map.entry(key, e.getValue()));
            }
            last = entry;
        }
        return new Listing(objects, prefixes, null);
    }

    // ---------------------------------------------------------------- multipart uploads

    public synchronized String createUpload(String bucket, String key, Map<String, String> headers, Instant at) {
        bucket(bucket);
        String id = UUID.randomUUID().toString().replace("-", "");
        uploads.put(id, new Upload(id, bucket, key, Map.copyOf(headers), at, new TreeMap<>()));
        return id;
    }

    public synchronized Upload upload(String id, String bucket, String key) {
        Upload u = uploads.get(id);
        if (u == null || !u.bucket().equals(bucket) || !u.key().equals(key)) {
            throw TosError.noSuchUpload();
        }
        return u;
    }

    public synchronized Part putPart(String id, String bucket, String key, int number, byte[] content, Instant at) {
        if (number < 1 || number > 10_000) {
            throw TosError.invalidArgument("Part number must be an integer between 1 and 10000, inclusive.");
        }
        Upload u = upload(id, bucket, key);
        Part p = new Part(number, content, "\"" + HexFormat.of().formatHex(StoredObject.md5(content)) + "\"",
                Crc64.of(content), at);
        u.parts().put(number, p);
        return p;
    }

    public synchronized List<Part> parts(String id, String bucket, String key) {
        return List.copyOf(upload(id, bucket, key).parts().values());
    }

    /**
     * Joins the listed parts into the object. The CRC-64 is combined from the parts' CRCs; the ETag is the
     * usual multipart one, MD5 of the parts' MD5s and "-N".
     */
    public synchronized StoredObject complete(String id, String bucket, String key, List<Map.Entry<Integer, String>> list,
                                              long minPartSize, Instant at) {
        Upload u = upload(id, bucket, key);
        if (list.isEmpty()) {
            throw new TosError(400, "InvalidPart", "You must specify at least one part.");
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        MessageDigest md5s = md5();
        long crc = 0;
        int previous = 0;
        for (int i = 0; i < list.size(); i++) {
            int number = list.get(i).getKey();
            if (number <= previous) {
                throw new TosError(400, "InvalidPartOrder", "The list of parts was not in ascending order.");
            }
            previous = number;
            Part p = u.parts().get(number);
            if (p == null || !bare(p.etag()).equals(bare(list.get(i).getValue()))) {
                throw new TosError(400, "InvalidPart", "One or more of the specified parts could not be found "
                        + "or its entity tag did not match (part " + number + ").");
            }
            if (i < list.size() - 1 && p.size() < minPartSize) {
                throw new TosError(400, "EntityTooSmall", "Part " + number + " is smaller than the minimum allowed "
                        + "size of " + minPartSize + " bytes.");
            }
            content.writeBytes(p.content());
            md5s.update(StoredObject.md5(p.content()));
            crc = Crc64.combine(crc, p.crc64(), p.size());
        }
        uploads.remove(id);
        Bucket b = bucket(bucket);
        String etag = "\"" + HexFormat.of().formatHex(md5s.digest()) + "-" + list.size() + "\"";
        return store(b, key, new StoredObject(content.toByteArray(), etag, crc, at,
                b.versioned ? nextVersion() : null, u.headers()));
    }

    public synchronized void abort(String id, String bucket, String key) {
        upload(id, bucket, key);
        uploads.remove(id);
    }

    /** The uploads in progress in a bucket under a prefix, ordered by key, then by when they began. */
    public synchronized List<Upload> uploads(String bucket, String prefix) {
        bucket(bucket);
        return uploads.values().stream().filter(u -> u.bucket().equals(bucket) && u.key().startsWith(prefix))
                .sorted(java.util.Comparator.comparing(Upload::key).thenComparing(Upload::initiated))
                .toList();
    }

    /** Every upload in progress, in any bucket. */
    public synchronized List<Upload> allUploads() {
        return List.copyOf(uploads.values());
    }

    static String bare(String etag) {
        String e = etag == null ? "" : etag.strip();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
