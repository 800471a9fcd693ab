import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.http.HttpClients;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.storage.s3.Credentials;
import dev.ferry.storage.s3.S3Config;
import dev.ferry.storage.s3.S3Store;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The floor under scenario (d) for this runtime: every object under a prefix fetched by N threads with the same S3
 * store and HTTP client Ferry uses, each one GET into a temp file, its MD5 checked against the listed ETag, forced
 * to disk and renamed, and nothing else (no lock, checkpoint, partial-file mark, events, command line or output
 * per file). What Ferry's own time is above this is the engine's and the command's; what this is above rclone is
 * the JVM's and the HTTP stack's. Run by bench/floor.sh, compiled against target/ferry.jar.
 *
 *   java -cp ferry.jar:CLASSES SmallFloor ENDPOINT BUCKET PREFIX DIR [THREADS]
 *
 * Credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; region us-east-1, path-style addressing.
 * Exits 1 when an object is missing or its MD5 does not match.
 */
public final class SmallFloor {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        String prefix = args[2];
        Path dir = Path.of(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        S3Store store = new S3Store(new S3Config(endpoint, "us-east-1", new Credentials(
                System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"), null), true),
                HttpClients.create(threads), RetryPolicy.DEFAULT);
        CancelSignal never = new CancelSignal();
        List<ObjectSummary> listed = new ArrayList<>();
        String token = null;
        do {
            ListPage page = store.list(bucket, prefix, null, token, 1000, never);
            listed.addAll(page.objects());
            token = page.nextToken();
        } while (token != null);
        ConcurrentLinkedQueue<ObjectSummary> queue = new ConcurrentLinkedQueue<>(listed);
        AtomicInteger good = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(256 << 10);
                ObjectSummary o;
                while ((o = queue.poll()) != null) {
                    try {
                        if (fetch(store, bucket, o, dir, buffer, never)) {
                            good.incrementAndGet();
                        }
                    } catch (Exception e) {
                        System.err.println(o.key() + ": " + e);
                    }
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        store.close();
        System.out.println(good.get() + " of " + listed.size() + " objects fetched and checked");
        System.exit(good.get() == listed.size() ? 0 : 1);
    }

    private static boolean fetch(S3Store store, String bucket, ObjectSummary o, Path dir, ByteBuffer buffer,
                                 CancelSignal never) throws Exception {
        String name = o.key().substring(o.key().lastIndexOf('/') + 1);
        Path temp = dir.resolve(name + ".part");
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (RangeBody body = store.getRange(ObjectRef.of(bucket, o.key()), 0, o.size() - 1, o.etag(), never);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            ReadableByteChannel in = body.channel();
            long position = 0;
            while (true) {
                buffer.clear();
                if (in.read(buffer) < 0) {
                    break;
                }
                buffer.flip();
                md5.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
            }
            out.force(false);
        }
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return HexFormat.of().formatHex(md5.digest()).equalsIgnoreCase(Etags.bare(o.etag()));
    }
}
