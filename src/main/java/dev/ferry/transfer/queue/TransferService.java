package dev.ferry.transfer.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.ferry.storage.CopyStore;
import dev.ferry.storage.ObjectStore;
import dev.ferry.transfer.Copy;
import dev.ferry.transfer.CopyRequest;
import dev.ferry.transfer.CopyResult;
import dev.ferry.transfer.Download;
import dev.ferry.transfer.DownloadRequest;
import dev.ferry.transfer.DownloadResult;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.TransferState;
import dev.ferry.transfer.CoalescingSaver;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * The transfer queue behind the desktop app: runs at most {@link #maxConcurrent()} transfers at once in queue
 * order, pauses, resumes, cancels and retries them, shares one global rate limiter with per-transfer limits
 * below it, and keeps the queue in a file so it survives a restart (running transfers resume from their
 * checkpoints).
 *
 * <p>Every method may be called from any thread and returns at once: transfers run on the executor, and work
 * that touches the network or the disk (cancelling a stopped transfer, for one) runs there too. Views read
 * {@link #snapshot()} on a timer rather than being called back per change.
 *
 * <p>A queue may hold many thousands of transfers: finding one by id, adding one and deciding what starts next
 * do not walk the whole queue when they need not.
 */
public final class TransferService implements AutoCloseable {
    public static final int DEFAULT_MAX_CONCURRENT = 3;
    public static final int MAX_CONCURRENT_LIMIT = 50;
    private static final Logger LOG = Logger.getLogger(TransferService.class.getName());
    private static final long SAVE_INTERVAL_MILLIS = 500;

    private final StoreResolver stores;
    private final Path queueFile;
    private final Path checkpointDir;
    private final Executor executor;
    private final ExecutorService ownExecutor;
    private final RateLimiter global = RateLimiter.unlimited();
    private final List<QueuedTransfer> queue = new ArrayList<>();
    private final Map<Long, QueuedTransfer> byId = new HashMap<>();
    /** Every transfer the dispatcher started that may still hold its slot (a finished one is dropped lazily). */
    private final Set<QueuedTransfer> slots = new LinkedHashSet<>();
    /** False only when no transfer waits in state QUEUED, so the dispatcher has nothing to look for. */
    private boolean mayHaveQueued = true;
    private final CopyOnWriteArrayList<Consumer<TransferSnapshot>> finishListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<String>> noticeListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> limitListeners = new CopyOnWriteArrayList<>();
    private final CoalescingSaver saver;
    private long nextId = 1;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    private boolean closed;
    private String loadProblem;

    /**
     * The service of a Ferry data folder ({@code FERRY_HOME}): the queue in {@code home/queue.json}, checkpoints
     * in {@code home/checkpoints/} (where the command line keeps them too, so either can resume the other's),
     * transfers on daemon threads of its own.
     */
    public static TransferService atHome(StoreResolver stores, Path home) {
        return new TransferService(stores, home.resolve("queue.json"), home.resolve("checkpoints"), null);
    }

    /**
     * @param queueFile     where the queue is kept (null: not kept)
     * @param checkpointDir where transfers keep their checkpoints
     * @param executor      runs transfers, one task per run (null: daemon threads of its own)
     */
    public TransferService(StoreResolver stores, Path queueFile, Path checkpointDir, Executor executor) {
        this.stores = stores;
        this.queueFile = queueFile;
        this.checkpointDir = checkpointDir;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            this.ownExecutor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "ferry-queue-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownExecutor;
        } else {
            this.ownExecutor = null;
            this.executor = executor;
        }
        this.saver = new CoalescingSaver("ferry-queue-save", SAVE_INTERVAL_MILLIS, this::saveQuietly);
        load();
        saver.start();
    }

    /** Why the saved queue could not be read at start (it was set aside), or empty. */
    public synchronized Optional<String> loadProblem() {
        return Optional.ofNullable(loadProblem);
    }

    /** Starts whatever the saved queue left queued. */
    public void start() {
        dispatch();
    }

    // ---- adding and reading -------------------------------------------------------------------------------

    /** Adds a transfer at the end of the queue; it starts when a slot is free. Returns its id. */
    public long add(TransferSpec spec) {
        return add(spec, false);
    }

    /** Adds a transfer at the end of the queue, paused when asked (it then waits for {@link #resume}). */
    public long add(TransferSpec spec, boolean paused) {
        long id;
        synchronized (this) {
            checkOpen();
            id = nextId++;
            QueuedTransfer t = new QueuedTransfer(id, spec, paused ? TransferState.PAUSED : TransferState.QUEUED, 0,
                    stores.scheme(spec.connectionId()));
            if (paused) {
                t.log("added paused", false);
            }
            enqueue(t);
        }
        if (paused) {
            saver.request(); // nothing new may start
        } else {
            changed();
        }
        return id;
    }

    /** Every transfer in queue order. */
    public synchronized List<TransferSnapshot> snapshot() {
        List<TransferSnapshot> out = new ArrayList<>(queue.size());
        for (QueuedTransfer t : queue) {
            out.add(t.snapshot());
        }
        return out;
    }

    public synchronized Optional<TransferSnapshot> snapshot(long id) {
        return find(id).map(QueuedTransfer::snapshot);
    }

    /** The transfer's parts for a part map (empty before its plan is known). */
    public synchronized List<PartState> parts(long id) {
        return find(id).map(QueuedTransfer::parts).orElse(List.of());
    }

    /** The transfer's recent event log, oldest first. */
    public synchronized List<LogEntry> log(long id) {
        return find(id).map(QueuedTransfer::log).orElse(List.of());
    }

    /** What the transfer was asked to do. */
    public synchronized Optional<TransferSpec> spec(long id) {
        return find(id).map(QueuedTransfer::spec);
    }

    /** The sum of every running transfer's rate, bytes per second. */
    public synchronized long totalRate() {
        long sum = 0;
        for (QueuedTransfer t : slots) { // only a transfer with a run has a rate
            sum += t.snapshot().rate();
        }
        return sum;
    }

    /** Called with a transfer's snapshot each time a run of it ends (completed, failed, paused, cancelled). */
    public void onFinished(Consumer<TransferSnapshot> listener) {
        finishListeners.add(listener);
    }

    /**
     * Called with what a person should hear about a transfer that is no longer in the list: a removed transfer's
     * partial data that could not be deleted, or was left because it is not the transfer's.
     */
    public void onNotice(Consumer<String> listener) {
        noticeListeners.add(listener);
    }

    // ---- steering ---------------------------------------------------------------------------------------------

    /** Pauses a running or queued transfer; its checkpoint (and a copy's upload) is kept. */
    public void pause(long id) {
        synchronized (this) {
            QueuedTransfer t = find(id).orElse(null);
            if (t == null) {
                return;
            }
            if (t.isRunning()) {
                t.pause();
            } else if (t.state() == TransferState.QUEUED) {
                t.setState(TransferState.PAUSED, "paused");
            }
        }
        changed();
    }

    /** Queues a paused or failed transfer again; it continues from its checkpoint. */
    public void resume(long id) {
        synchronized (this) {
            find(id).filter(t -> !t.isRunning() && (t.state() == TransferState.PAUSED
                    || t.state() == TransferState.FAILED)).ifPresent(this::requeue);
        }
        changed();
    }

    /** Queues a failed or cancelled transfer again (a cancelled one starts over). */
    public void retry(long id) {
        synchronized (this) {
            find(id).filter(t -> !t.isRunning() && (t.state() == TransferState.FAILED
                    || t.state() == TransferState.CANCELLED || t.state() == TransferState.PAUSED))
                    .ifPresent(this::requeue);
        }
        changed();
    }

    /**
     * Runs again a copy that failed because an object is already at its destination, this time replacing that
     * object. Returns whether it was queued (false for anything else).
     */
    public boolean replaceAndRetry(long id) {
        boolean queued;
        synchronized (this) {
            Optional<QueuedTransfer> found = find(id).filter(t -> !t.isRunning() && t.snapshot().isCopyOntoExisting());
            found.ifPresent(t -> {
                t.respec(((TransferSpec.Copy) t.spec()).withReplace(true));
                requeue(t);
            });
            queued = found.isPresent();
        }
        if (queued) {
            changed();
        }
        return queued;
    }

    /**
     * Cancels a transfer and removes what it transferred so far: the partial file and checkpoint of a download,
     * the multipart upload and checkpoint of a copy. A completed transfer is left as it is.
     */
    public void cancel(long id) {
        synchronized (this) {
            find(id).ifPresent(this::cancel);
        }
        changed();
    }

    private void cancel(QueuedTransfer t) {
        if (t.isRunning()) {
            t.cancel();
        } else if (t.state() != TransferState.COMPLETED && t.state() != TransferState.CANCELLED) {
            t.setState(TransferState.CANCELLED, "cancelled");
            executor.execute(() -> discard(t));
        }
    }

    /**
     * Removes a transfer from the list. One that has not completed is cancelled first (its partial data is
     * deleted), so nothing is left behind that no list entry refers to.
     */
    public void remove(long id) {
        synchronized (this) {
            QueuedTransfer t = find(id).orElse(null);
            if (t == null) {
                return;
            }
            if (t.isRunning()) {
                t.removeWhenStopped();
                t.cancel();
            } else {
                cancel(t);
                dequeue(t);
            }
        }
        changed();
    }

    /** Pauses every running and queued transfer. */
    public void pauseAll() {
        synchronized (this) {
            for (QueuedTransfer t : queue) {
                if (t.isRunning()) {
                    t.pause();
                } else if (t.state() == TransferState.QUEUED) {
                    t.setState(TransferState.PAUSED, "paused");
                }
            }
        }
        changed();
    }

    /** Queues every paused transfer again. */
    public void resumeAll() {
        synchronized (this) {
            for (QueuedTransfer t : queue) {
                if (t.state() == TransferState.PAUSED && !t.isRunning()) {
                    requeue(t);
                }
            }
        }
        changed();
    }

    /** Moves a transfer to {@code index} in the queue (clamped to the list). Order decides which starts next. */
    public void move(long id, int index) {
        synchronized (this) {
            QueuedTransfer t = find(id).orElse(null);
            if (t == null) {
                return;
            }
            queue.remove(t);
            queue.add(Math.max(0, Math.min(index, queue.size())), t);
        }
        changed();
    }

    public synchronized int indexOf(long id) {
        for (int i = 0; i < queue.size(); i++) {
            if (queue.get(i).id() == id) {
                return i;
            }
        }
        return -1;
    }

    /** The limit over all transfers together, bytes per second (0 = unlimited). Takes effect within a second. */
    public void setGlobalLimit(long bytesPerSecond) {
        long was = global.rate();
        global.setRate(bytesPerSecond);
        if (was != global.rate()) {
            for (Runnable l : limitListeners) {
                l.run();
            }
        }
    }

    /** Called after the global limit changed. */
    public void onGlobalLimitChanged(Runnable listener) {
        limitListeners.add(listener);
    }

    public long globalLimit() {
        return global.rate();
    }

    /** One transfer's own limit, below the global one (0 = none). Takes effect within a second while it runs. */
    public void setLimit(long id, long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a limit cannot be negative");
        }
        synchronized (this) {
            find(id).ifPresent(t -> t.setLimit(bytesPerSecond));
        }
        changed();
    }

    /** How many transfers may run at once (1 to {@value #MAX_CONCURRENT_LIMIT}); the rest wait in order. */
    public void setMaxConcurrent(int n) {
        if (n < 1 || n > MAX_CONCURRENT_LIMIT) {
            throw new IllegalArgumentException("concurrent transfers must be between 1 and " + MAX_CONCURRENT_LIMIT);
        }
        synchronized (this) {
            maxConcurrent = n;
        }
        dispatch();
    }

    public synchronized int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * Pauses every running transfer, waits up to {@code wait} for them to stop, and saves the queue with them
     * queued, so they resume when the service starts again.
     */
    public void close(Duration wait) {
        List<QueuedTransfer> running = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (QueuedTransfer t : queue) {
                if (t.isRunning()) {
                    t.pauseForShutdown();
                    running.add(t);
                }
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (QueuedTransfer t : running) {
            t.awaitStopped(Math.max(0, deadline - System.nanoTime()));
        }
        saver.stopAndFlush();
        if (ownExecutor != null) {
            ownExecutor.shutdown();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    // ---- running ---------------------------------------------------------------------------------------------

    private void changed() {
        dispatch();
        saver.request();
    }

    /**
     * Starts queued transfers, in queue order, while slots are free. Walks the queue only when a slot is free and
     * something may be waiting; a walk that reaches the end has started everything that waited.
     */
    private void dispatch() {
        synchronized (this) {
            if (closed) {
                return;
            }
            slots.removeIf(t -> !t.isRunning());
            if (!mayHaveQueued || slots.size() >= maxConcurrent) {
                return;
            }
            for (QueuedTransfer t : queue) {
                if (slots.size() >= maxConcurrent) {
                    return;
                }
                if (!t.isRunning() && t.state() == TransferState.QUEUED) {
                    t.starting();
                    slots.add(t);
                    executor.execute(() -> run(t));
                }
            }
            mayHaveQueued = false;
        }
    }

    private void run(QueuedTransfer t) {
        String keptByCancel = null;
        try {
            if (t.spec() instanceof TransferSpec.Download d) {
                StoreResolver.Lease lease = stores.downloadStore(d, t::limit);
                try {
                    ObjectStore store = lease.store();
                    // a folder download recreates the folder's structure; its subfolders appear as their files start
                    Files.createDirectories(d.destination().getParent());
                    DownloadRequest request = downloadRequest(d, store, t.limit());
                    Download download = new Download(store, request, global, t.listener());
                    if (t.attach(download, request.checkpoint())) {
                        DownloadResult r = download.run();
                        keptByCancel = r.keptPartial() ? r.message() : null;
                        t.finish(r.state(), r.message(), r.failureKind(), download.progress(), download.parts());
                    } else if (t.state() == TransferState.CANCELLED) {
                        discard(t);
                    }
                } finally {
                    lease.release().run();
                }
            } else {
                TransferSpec.Copy c = (TransferSpec.Copy) t.spec();
                CopyStore store = stores.store(c.connectionId());
                CopyRequest request = copyRequest(c, store).withRateLimit(t.limit());
                Copy copy = new Copy(store, request, t.listener());
                if (t.attach(copy, request.checkpoint())) {
                    CopyResult r = copy.run();
                    t.finish(r.state(), r.message(), r.failureKind(), copy.progress(), copy.parts());
                } else if (t.state() == TransferState.CANCELLED) {
                    discard(t);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "transfer " + t.id() + " could not start", e);
            t.finish(TransferState.FAILED, message(e), FailureKind.TRANSIENT, null, null);
        }
        afterRun(t, keptByCancel);
    }

    private void notice(String text) {
        for (Consumer<String> l : noticeListeners) {
            try {
                l.accept(text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a notice listener failed", e);
            }
        }
    }

    /** {@code keptByCancel}: what a cancel that left the partial data said, or null. */
    private void afterRun(QueuedTransfer t, String keptByCancel) {
        boolean removed;
        synchronized (this) {
            removed = t.isRemoveWhenStopped();
            if (removed) {
                dequeue(t);
            }
        }
        TransferSnapshot s = t.snapshot();
        if (removed && keptByCancel != null) {
            // what the cancel could not delete (not the transfer's, or another download's) is said where it is seen
            notice(t.spec().name() + " (removed from the list): " + keptByCancel);
        } else if (removed && s.state() != TransferState.COMPLETED && s.state() != TransferState.CANCELLED
                && s.failure() != FailureKind.BUSY) {
            // it ended another way before the cancel took (failed, paused): what it left goes as a removal's
            // would. Not after a BUSY failure: the checkpoint and files are another run's
            try {
                executor.execute(() -> discard(t));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                discard(t);
            }
        }
        for (Consumer<TransferSnapshot> l : finishListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a finish listener failed", e);
            }
        }
        changed();
    }

    /** Deletes what a stopped transfer left behind; a failure goes to its log. */
    private void discard(QueuedTransfer t) {
        try {
            if (t.spec() instanceof TransferSpec.Download d) {
                Download.discard(downloadRequest(d, stores.downloadStore(d), 0));
                t.log("partial download deleted", false);
            } else {
                CopyStore store = stores.store(t.spec().connectionId());
                Copy.discard(store, copyRequest((TransferSpec.Copy) t.spec(), store));
                t.log("multipart upload aborted", false);
            }
        } catch (IOException | RuntimeException e) {
            String why = "could not remove the partial data: " + message(e);
            t.log(why, true);
            boolean removed;
            synchronized (this) {
                removed = !byId.containsKey(t.id());
            }
            if (removed) {
                notice(t.spec().name() + " (removed from the list): " + why);
            }
        }
        saver.request();
    }

    private DownloadRequest downloadRequest(TransferSpec.Download d, ObjectStore store, long limit) {
        Path checkpoint = checkpointDir.resolve(store.checkpointFollowsContent()
                ? CheckpointFiles.linkCheckpointName(d.destination())
                : CheckpointFiles.downloadCheckpointName(store.endpointId(), d.source().bucket(), d.source().key(),
                        d.source().versionId(), d.destination()));
        return DownloadRequest.of(d.source(), d.destination()).withPartSize(d.partSize())
                .withConnections(d.connections()).withCheckpoint(checkpoint).withRateLimit(limit);
    }

    private CopyRequest copyRequest(TransferSpec.Copy c, CopyStore store) {
        Path checkpoint = checkpointDir.resolve(CheckpointFiles.copyCheckpointName(store.endpointId(),
                c.source().bucket(), c.source().key(), c.source().versionId(), c.destination().bucket(),
                c.destination().key()));
        return CopyRequest.of(c.source(), c.destination()).withPartSize(c.partSize())
                .withConnections(c.connections()).withCheckpoint(checkpoint).withReplace(c.replace());
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ---- persistence -------------------------------------------------------------------------------------------

    private void load() {
        if (queueFile == null) {
            return;
        }
        List<QueueFile.Item> items;
        try {
            items = QueueFile.load(queueFile);
        } catch (IOException e) {
            String problem = e.getMessage();
            try {
                problem += "; it was moved to " + QueueFile.setAside(queueFile);
            } catch (IOException moveFailed) {
                problem += "; it could not be moved aside: " + moveFailed.getMessage();
            }
            LOG.warning(problem);
            loadProblem = problem;
            return;
        }
        for (QueueFile.Item i : items) {
            try {
                TransferSpec spec = QueueFile.spec(i);
                long id = nextId++;
                QueuedTransfer t = new QueuedTransfer(id, spec, QueueFile.restoredState(i.state()), i.limit(),
                        stores.scheme(spec.connectionId()));
                t.restore(i.message(), QueueFile.failureOf(i), i.total(), i.done());
                enqueue(t);
            } catch (RuntimeException e) {
                LOG.warning("a saved transfer was skipped: " + message(e));
            }
        }
    }

    private void saveQuietly() {
        if (queueFile == null) {
            return;
        }
        List<QueueFile.Item> items = new ArrayList<>();
        synchronized (this) {
            for (QueuedTransfer t : queue) {
                items.add(t.item());
            }
        }
        try {
            QueueFile.save(queueFile, items);
        } catch (IOException | RuntimeException e) {
            LOG.warning("the queue could not be saved to " + queueFile + ": " + message(e));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Optional<QueuedTransfer> find(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Appends a transfer to the queue; the caller holds the lock. */
    private void enqueue(QueuedTransfer t) {
        queue.add(t);
        byId.put(t.id(), t);
        if (t.state() == TransferState.QUEUED) {
            mayHaveQueued = true;
        }
    }

    private void dequeue(QueuedTransfer t) {
        if (byId.remove(t.id()) != null) {
            queue.remove(t);
        }
    }

    /** Queues a stopped transfer again, for the dispatcher to start; the caller holds the lock. */
    private void requeue(QueuedTransfer t) {
        t.setState(TransferState.QUEUED, "");
        mayHaveQueued = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the transfer service is closed");
        }
    }
}
