package dev.ferry.app.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.http.Link;
import dev.ferry.storage.http.LinkNames;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.transfer.queue.StoreResolver;
import dev.ferry.transfer.queue.TransferService;
import dev.ferry.transfer.queue.TransferSnapshot;
import dev.ferry.transfer.queue.TransferSpec;

/**
 * Turns what a person hands over (links, objects, folders) into queued downloads: objects at once, folders
 * after listing them in the background, each into a safe, free file under the chosen folder (a folder's structure
 * is recreated below it). Reports what it did, or why not, as one message per request.
 */
public final class Intake {
    private final TransferService service;
    private final StoreResolver stores;
    private final Executor background;
    private final LinkBook links;
    private final Function<Link, ObjectStore> linkStores;

    /** An intake of objects and folders of connections only. */
    public Intake(TransferService service, StoreResolver stores, Executor background) {
        this(service, stores, background, null, null);
    }

    /**
     * @param links      where link downloads keep their links (null: plain links are not taken)
     * @param linkStores opens a store of one link, to learn its file's name before it is queued
     */
    public Intake(TransferService service, StoreResolver stores, Executor background, LinkBook links,
                  Function<Link, ObjectStore> linkStores) {
        this.service = service;
        this.stores = stores;
        this.background = background;
        this.links = links;
        this.linkStores = linkStores;
    }

    /** Where its background work runs: listings, link probes, the secret store. */
    public Executor background() {
        return background;
    }

    /**
     * Queues downloads of plain links into {@code folder}, in the background: each link is asked first (one
     * byte), so its file is named as the server suggests (Content-Disposition), else after the link's last path
     * segment. {@code report} receives one summary on the background thread.
     */
    public void downloadLinks(List<Link> given, Path folder, Consumer<String> report) {
        if (links == null) {
            report.accept("Plain links cannot be downloaded here");
            return;
        }
        Destinations destinations = new Destinations(queuedDestinations());
        background.execute(() -> {
            List<String> problems = new ArrayList<>();
            int queued = 0;
            for (Link link : given) {
                queued += queueLink(link, folder, destinations, problems);
            }
            report.accept(summary(queued, problems));
        });
    }

    private int queueLink(Link link, Path folder, Destinations destinations, List<String> problems) {
        ObjectInfo info;
        try (ObjectStore store = linkStores.apply(link)) {
            info = store.head(link.ref(), new CancelSignal());
        } catch (IOException | RuntimeException e) {
            problems.add(link.display() + ": " + Link.redactText(e.getMessage()));
            return 0;
        }
        try {
            Path file = destinations.pick(folder, LinkNames.fileName(link, info));
            if (file == null) {
                problems.add(link.display() + ": names no file");
                return 0;
            }
            String id = links.register(link);
            service.add(TransferSpec.Download.of(id, link.ref(), file));
            return 1;
        } catch (IOException | RuntimeException e) {
            problems.add(link.display() + ": " + Link.redactText(e.getMessage()));
            return 0;
        }
    }

    /**
     * Queues downloads of {@code objects} and {@code folders} (keys ending in '/', or empty for a whole bucket)
     * from connection {@code connectionId} into {@code folder}. {@code report} receives one summary (on the
     * background thread when folders are listed, else on the caller's).
     */
    public void download(String connectionId, List<ObjectRef> objects, List<ObjectRef> folders, Path folder,
                         Consumer<String> report) {
        Destinations destinations = new Destinations(queuedDestinations());
        int queued = 0;
        List<String> problems = new ArrayList<>();
        for (ObjectRef o : objects) {
            queued += queue(connectionId, o, folder, o.fileName(), destinations, problems);
        }
        if (folders.isEmpty()) {
            report.accept(summary(queued, problems));
            return;
        }
        int direct = queued;
        background.execute(() -> {
            int total = direct;
            for (ObjectRef f : folders) {
                total += queueFolder(connectionId, f, folder, destinations, problems);
            }
            report.accept(summary(total, problems));
        });
    }

    /**
     * Queues server-side copies of {@code objects} and {@code folders} to {@code destinationPrefix} (empty, or
     * ending in '/') in {@code destinationBucket} on the same connection; folders keep their structure below it.
     * {@code replace}: whether they may replace objects already there.
     */
    public void copy(String connectionId, List<ObjectRef> objects, List<ObjectRef> folders, String destinationBucket,
                     String destinationPrefix, boolean replace, Consumer<String> report) {
        String prefix = destinationPrefix == null || destinationPrefix.isEmpty() || destinationPrefix.endsWith("/")
                ? (destinationPrefix == null ? "" : destinationPrefix) : destinationPrefix + "/";
        List<String> problems = new ArrayList<>();
        int queued = 0;
        for (ObjectRef o : objects) {
            queued += queueCopy(connectionId, o, ObjectRef.of(destinationBucket, prefix + o.fileName()), replace,
                    problems);
        }
        if (folders.isEmpty()) {
            report.accept(copySummary(queued, problems));
            return;
        }
        int direct = queued;
        background.execute(() -> {
            int total = direct;
            for (ObjectRef f : folders) {
                List<ObjectSummary> listed;
                try {
                    listed = FolderListing.objects(stores.store(connectionId), f.bucket(), f.key(), new CancelSignal());
                } catch (IOException | RuntimeException e) {
                    problems.add(f.bucket() + "/" + f.key() + ": " + e.getMessage());
                    continue;
                }
                String parent = parentOf(f.key());
                for (ObjectSummary o : listed) {
                    total += queueCopy(connectionId, ObjectRef.of(f.bucket(), o.key()),
                            ObjectRef.of(destinationBucket, prefix + o.key().substring(parent.length())), replace,
                            problems);
                }
            }
            report.accept(copySummary(total, problems));
        });
    }

    private int queueCopy(String connectionId, ObjectRef from, ObjectRef to, boolean replace, List<String> problems) {
        if (from.bucket().equals(to.bucket()) && from.key().equals(to.key())) {
            problems.add(from + " would be copied onto itself");
            return 0;
        }
        service.add(TransferSpec.Copy.of(connectionId, from, to).withReplace(replace));
        return 1;
    }

    static String copySummary(int queued, List<String> problems) {
        return summary(queued, problems).replace("download", "copy").replace("copys", "copies");
    }

    private int queueFolder(String connectionId, ObjectRef prefix, Path folder, Destinations destinations,
                            List<String> problems) {
        List<ObjectSummary> listed;
        try {
            listed = FolderListing.objects(stores.store(connectionId), prefix.bucket(), prefix.key(),
                    new CancelSignal());
        } catch (IOException | RuntimeException e) {
            problems.add(prefix.bucket() + "/" + prefix.key() + ": " + e.getMessage());
            return 0;
        }
        if (listed.isEmpty()) {
            problems.add(prefix.bucket() + "/" + prefix.key() + " holds no objects");
            return 0;
        }
        // the folder itself is recreated: s3://b/photos/2024/a.jpg from "photos/" lands in <folder>/photos/2024/a.jpg;
        // a whole bucket lands in a folder named after it
        String parent = parentOf(prefix.key());
        String top = prefix.key().isEmpty() ? prefix.bucket() + "/" : "";
        int n = 0;
        for (ObjectSummary o : listed) {
            n += queue(connectionId, ObjectRef.of(prefix.bucket(), o.key()), folder,
                    top + o.key().substring(parent.length()), destinations, problems);
        }
        return n;
    }

    /** "a/b/" -> "a/"; "b/" -> ""; "" -> "". */
    static String parentOf(String prefix) {
        String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        int slash = trimmed.lastIndexOf('/');
        return slash < 0 ? "" : trimmed.substring(0, slash + 1);
    }

    private int queue(String connectionId, ObjectRef ref, Path folder, String relative, Destinations destinations,
                      List<String> problems) {
        try {
            Path file = destinations.pick(folder, relative);
            if (file == null) {
                problems.add(ref + ": names no file");
                return 0;
            }
            service.add(TransferSpec.Download.of(connectionId, ref, file));
            return 1;
        } catch (RuntimeException e) {
            problems.add(ref + ": " + e.getMessage());
            return 0;
        }
    }

    private List<Path> queuedDestinations() {
        List<Path> out = new ArrayList<>();
        for (TransferSnapshot s : service.snapshot()) {
            if (s.kind() == TransferSpec.Kind.DOWNLOAD) {
                out.add(Path.of(s.destination()));
            }
        }
        return out;
    }

    static String summary(int queued, List<String> problems) {
        String text = queued == 0 ? "Nothing was queued" : "Queued " + queued + (queued == 1 ? " download" : " downloads");
        if (problems.isEmpty()) {
            return text;
        }
        return text + "; " + problems.size() + (problems.size() == 1 ? " problem: " : " problems, the first: ")
                + problems.get(0);
    }
}
