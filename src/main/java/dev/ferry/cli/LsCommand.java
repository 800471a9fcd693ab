package dev.ferry.cli;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.storage.BucketSummary;
import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List objects and common prefixes (folders) under s3://bucket[/prefix] or tos://bucket[/prefix].",
                "With s3:// or tos:// alone, list the buckets the credentials can see."},
        footer = {"", "Examples:", "  ferry ls s3://bucket/", "  ferry ls s3://bucket/photos/2024/ --recursive",
                "  ferry ls tos:// --region cn-beijing", "  ferry ls tos://bucket/photos/ --endpoint tos-cn-beijing.volces.com"})
public final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Parameters(index = "0", paramLabel = "URI", description = "s3://bucket[/prefix], tos://bucket[/prefix], or s3:// or tos:// for the buckets")
    String uri;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = {"-r", "--recursive"}, description = "List every object under the prefix, not folders")
    boolean recursive;

    @Option(names = {"-H", "--human-readable"}, description = "Sizes as KiB, MiB, GiB")
    boolean human;

    @Option(names = "--json", description = "One JSON object per line")
    boolean json;

    private final Map<String, String> env;

    public LsCommand() {
        this(System.getenv());
    }

    LsCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ObjectUri u = ObjectUri.parseLocation(uri);
        StoreOptions.Resolved where = store.resolve(u.scheme(), env, true);
        try (ObjectStore remote = store.open(where, 4)) {
            if (u.isBucketList()) {
                remote.listBuckets(new CancelSignal()).forEach(this::print);
                return 0;
            }
            String token = null;
            CancelSignal never = new CancelSignal();
            long count = 0;
            do {
                ListPage page = remote.list(u.bucket(), u.key(), recursive ? null : "/", token, 1000, never);
                for (String p : page.prefixes()) {
                    print(p, -1, null);
                }
                for (ObjectSummary o : page.objects()) {
                    print(o.key(), o.size(), o);
                    count++;
                }
                token = page.nextToken();
            } while (token != null);
            return 0;
        } catch (StoreException e) {
            System.err.println(Printable.text("ferry: error: " + e.getMessage()));
            return e.isServerError() && e.httpStatus() < 500 ? 2 : 1;
        } catch (java.io.InterruptedIOException e) {
            return 1;
        }
    }

    private void print(BucketSummary b) {
        if (json) {
            ObjectNode n = Json.object("bucket");
            n.put("name", b.name());
            n.put("created", b.created() == null ? null : b.created().toString());
            Json.print(System.out, n);
        } else {
            System.out.printf("%19s %s%n", b.created() == null ? "" : DATE.format(b.created()), Printable.text(b.name()));
        }
    }

    private void print(String key, long size, ObjectSummary o) {
        if (json) {
            ObjectNode n = Json.object(o == null ? "prefix" : "object");
            n.put("key", key);
            if (o != null) {
                n.put("size", size);
                n.put("etag", o.etag());
                n.put("lastModified", o.lastModified() == null ? null : o.lastModified().toString());
            }
            Json.print(System.out, n);
        } else if (o == null) {
            System.out.printf("%30s %s%n", "PRE", Printable.text(key));
        } else {
            String when = o.lastModified() == null ? "" : DATE.format(o.lastModified());
            System.out.printf("%19s %10s %s%n", when, human ? Sizes.format(size) : Long.toString(size),
                    Printable.text(key));
        }
    }
}
