package dev.ferry.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ListPage;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ObjectSummary;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.Link;
import dev.ferry.transfer.Download;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.DownloadResult;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.FileOrigin;
import dev.ferry.transfer.PartPlan;
import dev.ferry.transfer.SafePaths;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CheckpointLock;
import dev.ferry.transfer.limit.RateLimiter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "download", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Download an object (or every object under a prefix) in parallel ranged parts, resumably.",
                "s3:// URIs speak S3 (AWS credentials), tos:// URIs Volcengine TOS' own protocol (TOS_ACCESS_KEY, "
                        + "TOS_SECRET_KEY, TOS_SECURITY_TOKEN); http:// and https:// links are plain files.",
                "Run the same command again to resume after an interruption. A link that expired (a presigned "
                        + "link): run it again with a fresh link to the same file and the same DEST."},
        footer = {"", "Examples:",
                "  ferry download s3://bucket/big.iso",
                "  ferry download s3://bucket/big.iso ~/Downloads/ --connections 16 --limit 20MiB/s",
                "  ferry download s3://bucket/photos/ ./photos --endpoint http://127.0.0.1:9000",
                "  ferry download tos://bucket/big.iso --endpoint tos-cn-beijing.volces.com",
                "  ferry download https://example.com/files/big.iso ~/Downloads/",
                "",
                "Exit codes: 0 done, 1 failed, 2 bad usage or input, 3 paused (checkpoint kept; Ctrl-C pauses)."})
public final class DownloadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "s3://bucket/key, tos://bucket/key (a prefix/ for many objects) or an http(s):// link")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
            description = "A file, or an existing folder (default: the current folder)")
    String destination;

    /** DEST as a path (null when not given); a trailing separator says it names a folder even where none is yet. */
    Path dest;
    boolean destNamesFolder;

    @Mixin
    StoreOptions store = new StoreOptions();

    @Option(names = "--part-size", paramLabel = "SIZE", description = "Part size, 5MiB to 5GiB (default: 20MiB)")
    String partSize = "20MiB";

    @Option(names = "--connections", paramLabel = "N", description = "Parallel connections, 1 to 1000 (default: 8)")
    int connections = PartPlan.DEFAULT_CONNECTIONS;

    @Option(names = "--limit", paramLabel = "RATE", description = "Bandwidth limit, e.g. 10MiB/s (0 = unlimited)")
    String limit = "0";

    @ArgGroup(exclusive = true)
    CheckpointChoice checkpoint = new CheckpointChoice();

    @Option(names = "--version-id", paramLabel = "ID", description = "Download this version of the object")
    String versionId;

    @Option(names = "--overwrite", description = "Replace an existing destination file")
    boolean overwrite;

    @Option(names = {"-r", "--recursive"}, description = "Download every object under SOURCE as a prefix, each "
            + "under its key from the prefix's last / on (implied by a trailing /)")
    boolean recursive;

    @Option(names = "--objects", paramLabel = "N", description = "Objects downloaded at once under a prefix (default: 4)")
    int objects = 4;

    @Option(names = "--json", description = "Print JSON lines: progress (at most 4 a second), events, the result")
    boolean json;

    @Option(names = "--cancel", description = "Discard this transfer's checkpoint and partial file")
    boolean cancel;

    private final Map<String, String> env;
    private final List<Download> running = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Objects of a prefix whose file was already there, complete. */
    private final AtomicInteger alreadyThere = new AtomicInteger();

    public DownloadCommand() {
        this(System.getenv());
    }

    DownloadCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (destination != null) {
            try {
                dest = Path.of(destination);
            } catch (java.nio.file.InvalidPathException e) {
                throw new UsageException("invalid destination '" + destination + "': " + e.getReason());
            }
            destNamesFolder = destination.endsWith("/") || destination.endsWith(java.io.File.separator);
        }
        if (Link.looksLikeLink(source)) {
            return new LinkDownload(this).run();
        }
        ObjectUri uri = ObjectUri.parse(source);
        long part = Sizes.parsePartSize(partSize);
        Sizes.checkConnections(connections);
        if (objects < 1 || objects > 64) {
            throw new UsageException("--objects must be between 1 and 64");
        }
        long rate = Sizes.parseRate(limit);
        if (uri.key().isEmpty() && !recursive && !source.endsWith("/")) {
            // a missing key is more often a slip than a wish for the whole bucket, which may be terabytes
            throw new UsageException(uri + " names a whole bucket, not an object; to download every object in it, "
                    + "write " + uri + "/ or add --recursive");
        }
        boolean prefixMode = recursive || uri.isPrefix();
        if (prefixMode && (checkpoint.file != null || cancel || versionId != null)) {
            throw new UsageException("--checkpoint, --cancel and --version-id work on one object, not a prefix");
        }
        StoreOptions.Resolved where = store.resolve(uri.scheme(), env, !cancel);
        if (prefixMode) {
            try {
                return downloadPrefix(uri, where, part, rate);
            } catch (UsageException e) {
                jsonError(uri, e.getMessage()); // the line on stderr comes from the command line's handler
                throw e;
            }
        }
        DownloadRequest request = singleRequest(uri, where, part, rate);
        if (cancel) {
            return cancelTransfer(request, uri.toString());
        }
        try (ObjectStore remote = store.openLimited(where, connections, connections, rate)) {
            return runOne(remote, request, uri.toString());
        }
    }

    /**
     * Runs one download to its end, printing its progress and result under {@code label} (a link's label never
     * shows its query); a stop signal pauses it. Returns the exit code.
     */
    int runOne(ObjectStore remote, DownloadRequest request, String label) {
        Signals.onStop(this::pauseAll);
        return exitCode(runPrinted(remote, request, RateLimiter.unlimited(), label, false));
    }

    /**
     * Runs a download, printing its progress (one object's, or as one of many) and its result; a stop signal,
     * also one that came before it started, pauses it.
     */
    private DownloadResult runPrinted(ObjectStore remote, DownloadRequest request, RateLimiter limiter, String label,
                                      boolean many) {
        TransferPrinter printer = new TransferPrinter(TransferPrinter.modeFor(json, many), label, System.out,
                System.err);
        Download d = new Download(remote, request, limiter, printer);
        running.add(d);
        if (stopping.get()) {
            d.pause();
        }
        long t0 = System.nanoTime();
        DownloadResult r = d.run();
        running.remove(d);
        printer.printResult(r, System.nanoTime() - t0);
        return r;
    }

    private DownloadRequest singleRequest(ObjectUri uri, StoreOptions.Resolved where, long part, long rate) {
        ObjectRef ref = new ObjectRef(uri.bucket(), uri.key(), versionId);
        String fileName = SafePaths.safeSegment(ref.fileName());
        Path target;
        if (dest == null) {
            target = Path.of("").toAbsolutePath().resolve(fileName);
        } else if (Files.isDirectory(dest) || destNamesFolder) {
            target = dest.toAbsolutePath().resolve(fileName);
        } else {
            target = dest.toAbsolutePath();
        }
        Path cp = checkpoint.choose(CheckpointFiles.defaultDownloadCheckpoint(where.endpointId(), ref.bucket(),
                ref.key(), ref.versionId(), target));
        return DownloadRequest.of(ref, target).withPartSize(part).withConnections(connections).withCheckpoint(cp)
                .withOverwrite(overwrite).withRateLimit(rate);
    }

    /** Deletes a download's checkpoint and partial file, saying so under {@code label}. */
    int cancelTransfer(DownloadRequest request, String label) {
        try {
            boolean removed = Download.discard(request);
            String message = removed ? "discarded the checkpoint and partial file of " + label
                    : "nothing to cancel for " + label;
            if (json) {
                ObjectNode n = Json.object("cancel");
                n.put("source", label);
                n.put("discarded", removed);
                n.put("message", message);
                Json.print(System.out, n);
            } else {
                System.out.println(Printable.text(message));
            }
            return 0;
        } catch (IOException e) {
            throw new UsageException("cannot remove the partial download: " + e.getMessage());
        }
    }

    void pauseAll() {
        stopping.set(true);
        for (Download d : running) {
            d.pause();
        }
    }

    static int exitCode(DownloadResult r) {
        return exitCode(r.state(), r.failureKind());
    }

    /** 0 done, 1 failed, 2 bad input, 3 paused with the checkpoint kept. */
    static int exitCode(TransferState state, FailureKind kind) {
        return switch (state) {
            case COMPLETED -> 0;
            case PAUSED -> 3;
            case FAILED -> kind == FailureKind.INPUT || kind == FailureKind.DESTINATION_EXISTS ? 2 : 1;
            default -> 1;
        };
    }

    // ------------------------------------------------------------------ prefix

    private int downloadPrefix(ObjectUri uri, StoreOptions.Resolved where, long part, long rate) {
        String prefix = uri.key();
        Path root = (dest == null ? Path.of("") : dest).toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new UsageException("destination is not a folder: " + root);
        }
        if (!Files.isDirectory(root.getParent() == null ? root : root.getParent())) {
            throw new UsageException("destination folder does not exist: " + root.getParent());
        }
        int maxConnections = Math.max(connections, 1) * objects;
        try (ObjectStore remote = store.openLimited(where, Math.min(maxConnections, 256), connections, rate)) {
            Signals.onStop(this::pauseAll);
            // folder markers ("photos/") name no file; the folder is made when something goes in it
            List<ObjectSummary> found = listAll(remote, uri.bucket(), prefix).stream()
                    .filter(o -> !o.key().endsWith("/") && !pathUnder(prefix, o.key()).isEmpty()).toList();
            Path realRoot; // with its links resolved: every object's folder must lie inside it
            try {
                Files.createDirectories(root); // made once the listing worked, so a failed one leaves nothing
                realRoot = root.toRealPath();
            } catch (IOException e) {
                throw new UsageException("cannot create destination folder " + root + ": " + Download.describe(e));
            }
            if (!Files.isWritable(root)) {
                throw new UsageException("destination folder is not writable: " + root); // once, not per object
            }
            RateLimiter global = RateLimiter.unlimited().child(rate);
            List<DownloadResult> results = new CopyOnWriteArrayList<>();
            List<String> problems = new CopyOnWriteArrayList<>();
            Map<String, ObjectSummary> byName = new HashMap<>();
            found.forEach(o -> byName.put(asFileName(pathUnder(prefix, o.key())), o));
            ConcurrentLinkedQueue<ObjectSummary> queue = new ConcurrentLinkedQueue<>();
            for (ObjectSummary o : found) {
                String clash = partialFileOf(asFileName(pathUnder(prefix, o.key())), byName.keySet());
                if (clash != null && willFetch(byName.get(clash), uri, where, root)) {
                    problem(uri.withKey(o.key()).toString(), "skipped, its name is that of the partial file (or its "
                            + "lock) of " + clash + ", which this run downloads; run again once that is done",
                            problems);
                } else {
                    queue.add(o);
                }
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < Math.min(objects, Math.max(1, found.size())); i++) {
                Thread t = new Thread(() -> {
                    ObjectSummary o;
                    while (!stopping.get() && (o = queue.poll()) != null) {
                        downloadOne(remote, where, uri, root, realRoot, o, part, global, results, problems);
                    }
                }, "ferry-objects-" + i);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            return summarize(uri, found.size(), results, problems, !queue.isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 3;
        } catch (StoreException e) {
            listingFailed(uri, e.getMessage());
            return e.isServerError() && e.httpStatus() < 500 ? 2 : 1;
        } catch (IOException e) {
            listingFailed(uri, e.getMessage());
            return 1;
        }
    }

    /**
     * Whether this run will write to {@code o}'s partial file: unless its file is already there (and no checkpoint
     * makes it resume), as {@link #downloadOne} decides. When in doubt, yes.
     */
    private boolean willFetch(ObjectSummary o, ObjectUri under, StoreOptions.Resolved where, Path root) {
        try {
            Path target = SafePaths.resolve(root, pathUnder(under.key(), o.key()));
            return target != null
                    && whatIsThere(o, target, resuming(where, under.bucket(), o, target)) == FileOrigin.Match.NO;
        } catch (IOException | RuntimeException unknown) {
            return true;
        }
    }

    /** The default checkpoint of an object of a prefix; null with --no-checkpoint. */
    private Path checkpointOf(StoreOptions.Resolved where, String bucket, ObjectSummary o, Path target) {
        return checkpoint.none ? null : CheckpointFiles.defaultDownloadCheckpoint(where.endpointId(), bucket, o.key(),
                null, target);
    }

    private boolean resuming(StoreOptions.Resolved where, String bucket, ObjectSummary o, Path target) {
        Path cp = checkpointOf(where, bucket, o, target);
        return cp != null && Files.exists(cp);
    }

    /**
     * What the file already at {@code target} is to {@code o}: {@link FileOrigin.Match#NO} when this run downloads
     * the object (nothing there, --overwrite, or a checkpoint to resume from), else how sure it is that the file is
     * the object, which this run then leaves.
     */
    private FileOrigin.Match whatIsThere(ObjectSummary o, Path target, boolean resuming) throws IOException {
        if (overwrite || resuming || !Files.isRegularFile(target)) {
            return FileOrigin.Match.NO;
        }
        return FileOrigin.check(target, o.size(), o.etag(), o.lastModified());
    }

    /** An object of a prefix that is not downloaded, and why: on stderr, and as a JSON line with --json. */
    private void problem(String label, String why, List<String> problems) {
        problems.add(label + ": " + why);
        System.err.println(Printable.text("ferry: error: " + label + ": " + why));
        if (json) {
            ObjectNode n = Json.object("problem");
            n.put("source", label);
            n.put("message", why);
            Json.print(System.out, n);
        }
    }

    /**
     * The name among {@code names} whose partial file (or that file's lock) would be at {@code name}, or null: the two
     * objects would write over each other. The one named like a partial file is left out.
     */
    static String partialFileOf(String name, Set<String> names) {
        for (String suffix : new String[]{DownloadRequest.TEMP_SUFFIX,
                DownloadRequest.TEMP_SUFFIX + CheckpointLock.SUFFIX}) {
            if (name.endsWith(suffix) && names.contains(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    /** The names as this platform's file systems compare them: without case on Windows and macOS. */
    static String asFileName(String name) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return os.startsWith("windows") || os.startsWith("mac") ? name.toLowerCase(java.util.Locale.ROOT) : name;
    }

    private void listingFailed(ObjectUri uri, String message) {
        System.err.println(Printable.text("ferry: error: " + message));
        jsonError(uri, message);
    }

    /** With --json, why a prefix run ended before its objects: a script reading the lines learns why none came. */
    private void jsonError(ObjectUri uri, String message) {
        if (json) {
            ObjectNode n = Json.object("error");
            n.put("source", uri.toString());
            n.put("message", message);
            Json.print(System.out, n);
        }
    }

    private static List<ObjectSummary> listAll(ObjectStore remote, String bucket, String prefix) throws IOException {
        List<ObjectSummary> all = new ArrayList<>();
        String token = null;
        CancelSignal never = new CancelSignal();
        do {
            ListPage page = remote.list(bucket, prefix, null, token, 1000, never);
            all.addAll(page.objects());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    private void downloadOne(ObjectStore remote, StoreOptions.Resolved where, ObjectUri under, Path root, Path realRoot,
                             ObjectSummary o, long part, RateLimiter global, List<DownloadResult> results,
                             List<String> problems) {
        String bucket = under.bucket();
        String label = under.withKey(o.key()).toString();
        Path target;
        try {
            target = SafePaths.resolve(root, pathUnder(under.key(), o.key()));
            if (target == null) {
                return; // a key that names no file (it ends in a separator)
            }
            CheckpointFiles.ensureFolder(target.getParent());
            if (!target.getParent().toRealPath().startsWith(realRoot)) {
                throw new IOException("its folder leads outside " + root);
            }
        } catch (IOException | IllegalArgumentException e) {
            problem(label, "skipped, " + Download.describe(e), problems);
            return;
        }
        ObjectRef ref = ObjectRef.of(bucket, o.key());
        Path cp = checkpointOf(where, bucket, o, target);
        boolean resuming = cp != null && Files.exists(cp);
        try {
            // the object itself, as a download recorded it or its MD5 ETag proves (or, where nothing can prove
            // it, of its size and not older); another file goes on to the download, which reports the conflict
            FileOrigin.Match match = whatIsThere(o, target, resuming);
            if (match != FileOrigin.Match.NO) {
                String note = match == FileOrigin.Match.PROVEN ? "already there"
                        : "already there (its size, and not older than the object; not verified)";
                alreadyThere.incrementAndGet();
                if (json) {
                    ObjectNode n = Json.object("skipped");
                    n.put("source", label);
                    n.put("destination", target.toString());
                    n.put("message", note);
                    n.put("verified", match == FileOrigin.Match.PROVEN);
                    Json.print(System.out, n);
                } else {
                    System.out.println(Printable.text(label + " -> " + target + "  " + note + ", skipped"));
                }
                return;
            }
        } catch (IOException ignored) {
            // fall through: the download reports the conflict
        }
        DownloadRequest request = DownloadRequest.of(ref, target).withPartSize(part).withConnections(connections)
                .withCheckpoint(cp).withOverwrite(overwrite);
        if (o.size() <= part && Etags.looksLikeMd5(o.etag()) && !resuming) {
            // an object of one part whose ETag can be checked is fetched in one GET, conditional on the listed ETag:
            // a HEAD first would double the requests of a folder of small files. Others (a multipart ETag) are
            // HEADed for the checksums the file is checked against, and so is one an earlier run left a checkpoint for.
            request = request.withKnownInfo(ObjectInfo.listed(ref, o));
        }
        results.add(runPrinted(remote, request, global, label, true));
    }

    /**
     * Where an object listed under {@code prefix} goes in the destination folder: its key from the prefix's last
     * {@code /} on. So {@code photos/} puts {@code photos/a.jpg} at {@code a.jpg}, as the folder's content, while
     * {@code photos} (and {@code phot}) put it at {@code photos/a.jpg}, and an object named exactly by the prefix
     * keeps its own name.
     */
    static String pathUnder(String prefix, String key) {
        return key.substring(prefix.lastIndexOf('/') + 1);
    }

    private int summarize(ObjectUri listed, int total, List<DownloadResult> results, List<String> problems,
                          boolean leftOver) {
        long ok = results.stream().filter(DownloadResult::succeeded).count();
        boolean paused = leftOver || results.stream().anyMatch(r -> r.state() == TransferState.PAUSED);
        List<DownloadResult> failed = results.stream().filter(r -> r.state() == TransferState.FAILED).toList();
        int there = alreadyThere.get();
        int failures = failed.size() + problems.size();
        if (json) {
            ObjectNode n = Json.object("summary");
            n.put("objects", total);
            n.put("downloaded", ok);
            n.put("alreadyThere", there);
            n.put("failed", failures);
            n.put("paused", paused);
            Json.print(System.out, n);
        } else {
            if (total == 0) {
                System.err.println(Printable.text("ferry: no objects under " + listed));
            }
            System.err.printf("ferry: %d of %d objects downloaded%s%s%s%n", ok, total,
                    there == 0 ? "" : ", " + there + " already there",
                    failures == 0 ? "" : ", " + failures + " failed",
                    paused ? ", paused (run again to resume)" : "");
        }
        if (failures > 0) {
            boolean allInput = problems.isEmpty()
                    && failed.stream().allMatch(r -> r.failureKind() == FailureKind.INPUT);
            return allInput ? 2 : 1;
        }
        return paused ? 3 : 0;
    }
}
