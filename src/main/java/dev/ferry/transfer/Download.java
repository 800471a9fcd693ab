package dev.ferry.transfer;

import dev.ferry.transfer.checkpoint.SourceRecord;
import dev.ferry.transfer.checkpoint.ObjectIdentity;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectStore;
import dev.ferry.storage.RangeBody;
import dev.ferry.storage.ServerThrottling;
import dev.ferry.storage.StoreException;
import dev.ferry.storage.http.RetryPolicy;
import dev.ferry.transfer.FailureKind;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CheckpointLock;
import dev.ferry.transfer.checkpoint.DownloadCheckpoint;
import dev.ferry.transfer.event.Notifier;
import dev.ferry.transfer.event.Progress;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.event.TransferListener;
import dev.ferry.transfer.limit.RateLimiter;

/**
 * Downloads one object as parallel ranged GETs into {@code <dest>.ferry-partial}, checkpointing
 * progress inside parts at least every half second, and renames the verified file into place.
 *
 * <p>{@link #run()} does the work on the calling thread (plus worker threads it owns) and returns how it
 * ended. {@link #pause()}, {@link #cancel()} and {@link #setRateLimit(long)} may be called from any
 * thread at any time and never block. A Download runs once; to resume, make a new one with the same
 * request.
 */
public final class Download implements Transfer {
    static final long CHECKPOINT_INTERVAL_MILLIS = 400;
    /** The least a part in flight keeps, and the least another connection takes from it, when it is split. */
    static final long MIN_SPLIT_BYTES = 1 << 20;
    /**
     * A part in flight is split only when its connection, at the pace it has kept, would need longer than this
     * for what is left: on a fast link the last parts end together and a split would cost a request for nothing.
     */
    static final long SPLIT_WHEN_NANOS_LEFT = 500_000_000L;
    /** How long a part must have been in flight before its pace counts. */
    static final long PACE_AFTER_NANOS = 200_000_000L;
    /** The least time over which a finished part's pace counts towards the fastest pace of the run. */
    static final long FINISHED_PACE_AFTER_NANOS = 10_000_000L;
    /**
     * A connection this many times slower than the fastest pace seen in this run is taken off its part: an idle
     * connection takes everything it has not started to read, and the slow one stops after its current quantum
     * (its unfinished answer closes that connection, so it is not reused).
     */
    static final int SLOW_FACTOR = 4;
    /** The least a connection takes over from a slow one. */
    static final long MIN_TAKEOVER_BYTES = 64 << 10;
    /**
     * How long a part must have been in flight before its connection can be found slow enough to replace: a new
     * connection ramps up over its first round trips (TCP slow start), and that is not slowness.
     */
    static final long TAKEOVER_AFTER_NANOS = 1_000_000_000L;
    /** What a takeover costs on top of the transfer itself (a request's round trip, a new connection's start). */
    static final long TAKEOVER_COST_NANOS = 200_000_000L;
    /** How often a connection compares its pace with the others'. */
    static final long PACE_CHECK_NANOS = 250_000_000L;
    /** How often an idle connection asks again whether a part in flight should be split. */
    static final long IDLE_RECHECK_MILLIS = 100;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ObjectStore store;
    private final DownloadRequest request;
    private final RateLimiter limiter;
    /** Back-off between attempts of a part; its maxAttempts bounds consecutive attempts without progress. */
    private final RetryPolicy partRetry;
    private final StopRequest stop = new StopRequest();
    private final CancelSignal cancel = stop.signal();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong fetched = new AtomicLong();
    private final Notifier notifier;
    private final String name;

    private volatile TransferState state = TransferState.QUEUED;
    private volatile ObjectInfo info;
    /** What the server said before any byte arrived: the identity checkpoints record (the size may be unknown). */
    private volatile ObjectInfo probed;
    private volatile Part[] parts = new Part[0];
    private FileChannel channel;
    /** Held from opening the temp file to the end of the run: a lock file nothing else opens (see openTemp). */
    private CheckpointLock tempLock;
    /** A cancel left the partial data where it was: not this download's to delete. */
    private boolean keptPartial;
    /** The temp file's identity when opened; a different one (or none) means it was removed under the run. */
    private Object tempKey;
    private boolean tempExisted;
    /** A lock file was beside the temp file before this run took the lock: a run was killed on it. */
    private boolean tempLockLeft;
    /** A checkpoint of this download named the temp file (even one then dropped, for an object that changed). */
    private boolean tempNamed;
    /** The temp file's generation mark (null where the file system keeps none). */
    private volatile String generation;
    /** Why the last checkpoint save failed, until one succeeds; null while saves succeed. */
    private volatile String saveFailure;
    /** The object carries a CRC-64 (TOS): parts compute theirs as they arrive, and the whole file is checked. */
    private volatile boolean crcChecked;
    /** Connections given up for running far below the others' pace in this run ({@link #checkPace}). */
    private final AtomicInteger replacements = new AtomicInteger();
    /** The fastest pace, in bytes per nanosecond, a connection has kept over a part in this run (0: none yet). */
    private volatile double fastestPace;
    /** Parts were fetched again after a CRC-64 mismatch; a second mismatch fails the download. */
    private boolean refetched;
    private long reused;
    /** The done bytes of each part the last checkpoint recorded; under {@link #writeLock}. */
    private long[] lastSaved;
    /** Splits and checkpoint snapshots never interleave. */
    private final Object saveLock = new Object();
    /** One checkpoint is forced and written at a time, in the order of their snapshots. */
    private final Object writeLock = new Object();

    public Download(ObjectStore store, DownloadRequest request, RateLimiter parentLimiter, TransferListener listener) {
        this(store, request, parentLimiter, listener, RetryPolicy.DEFAULT);
    }

    public Download(ObjectStore store, DownloadRequest request, RateLimiter parentLimiter, TransferListener listener,
                    RetryPolicy partRetry) {
        // the client limiter keeps the exact rate; a server that can throttle too (TOS) is asked to, so its
        // connections do not run ahead of what the client will read
        this.store = ServerThrottling.apply(Objects.requireNonNull(store), request.rateLimit(), request.connections());
        this.request = Objects.requireNonNull(request);
        this.limiter = (parentLimiter == null ? RateLimiter.unlimited() : parentLimiter).child(request.rateLimit());
        this.partRetry = partRetry;
        this.name = IDS.incrementAndGet() + "-" + request.source().fileName();
        this.notifier = new Notifier(name, listener, this::counters);
    }

    public DownloadRequest request() {
        return request;
    }

    @Override
    public TransferState state() {
        return state;
    }

    /** The latest progress snapshot (refreshed about every 250 ms while running). */
    @Override
    public Progress progress() {
        return notifier.latest();
    }

    @Override
    public List<PartView> parts() {
        List<PartView> out = new ArrayList<>();
        for (Part p : byOffset(parts)) {
            out.add(new PartView(p.number, p.start, p.length, p.done.get(), p.active));
        }
        return out;
    }

    /** Changes this transfer's own limit while it runs (0 = no own limit). Takes effect within a second. */
    public void setRateLimit(long bytesPerSecond) {
        limiter.setRate(bytesPerSecond);
    }

    /** Stops promptly, keeping the checkpoint and temp file for a later resume. */
    @Override
    public void pause() {
        stop.pause();
    }

    /** Stops promptly and deletes the checkpoint and temp file. */
    @Override
    public void cancel() {
        stop.cancel();
    }

    /**
     * Deletes what a stopped download left behind (checkpoint and temp file), as {@code --cancel} does.
     * Refuses with an {@link IOException} while a download in this or another process works on the temp file.
     */
    public static boolean discard(DownloadRequest request) throws IOException {
        Path temp = request.tempFile();
        String leftAlone = CheckpointFiles.leftAlone(request.checkpoint(), DownloadCheckpoint.KIND,
                DownloadCheckpoint.class, cp -> cp.problem() != null || namesTemp(request, cp));
        if (leftAlone != null) {
            throw new IOException(leftAlone);
        }
        boolean lockLeft = Files.exists(CheckpointLock.fileOf(temp));
        // the lock is held until the files are gone, so no other run can start on them in between
        try (CheckpointLock held = CheckpointLock.tryAcquire(temp)) {
            if (held == null) {
                throw busy(temp);
            }
            String inTheWay = tempInTheWay(temp, lockLeft, checkpointNamesTemp(request));
            if (inTheWay != null) {
                throw new IOException(inTheWay);
            }
            return deleteLeftovers(request);
        }
    }

    private static Object fileKey(Path file) {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : Boolean.TRUE;
        } catch (IOException gone) {
            return null;
        }
    }

    /** Whether the temp file is gone from under the run (removed, or its folder with it), or replaced. */
    private boolean tempFileGone() {
        Object now = fileKey(request.tempFile());
        return tempKey != null && (now == null || !tempKey.equals(now) && !(tempKey instanceof Boolean));
    }

    /**
     * Why the file at {@code temp} is not a partial download Ferry may write over or delete, or null when it may (or
     * nothing is there). What says it may: a checkpoint of this download that names it ({@code named}), a lock file
     * a killed run left beside it ({@code lockLeft}), Ferry's mark on it, or no data in it. A finished download
     * (another object named like a partial file) that no checkpoint names, or a file with data and none of that (a
     * file of the user's), is somebody else's.
     */
    static String tempInTheWay(Path temp, boolean lockLeft, boolean named) {
        if (!Files.exists(temp, java.nio.file.LinkOption.NOFOLLOW_LINKS) || named) {
            return null;
        }
        if (FileOrigin.recorded(temp)) {
            return temp + " is in the way: it is a finished download, not a partial one; move it away and run again";
        }
        try {
            if (lockLeft || Files.size(temp) == 0 || TempGeneration.read(temp) != null) {
                return null;
            }
        } catch (IOException gone) {
            return null;
        }
        return temp + " is in the way: no checkpoint names it and nothing marks it as a partial download of Ferry's; "
                + "move it away (or delete it) and run again";
    }

    /** Whether this download's checkpoint is there, readable, and names its temp file. */
    private static boolean checkpointNamesTemp(DownloadRequest request) {
        try {
            DownloadCheckpoint cp = request.checkpoint() == null ? null
                    : CheckpointFiles.read(request.checkpoint(), DownloadCheckpoint.class);
            return cp != null && cp.problem() == null && namesTemp(request, cp);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Whether {@code cp} is of this download's destination and temp file. */
    private static boolean namesTemp(DownloadRequest request, DownloadCheckpoint cp) {
        return request.destination().toString().equals(cp.destination()) && request.tempFile().equals(cp.tempPath());
    }

    /** A file at the temp file's name that is not this download's to write over (see {@link #tempInTheWay}). */
    static final class TempInTheWayException extends IOException {
        TempInTheWayException(String message) {
            super(message);
        }
    }

    private static IOException busy(Path temp) {
        return new IOException("a download is writing to " + temp + " right now; pause or cancel it there");
    }

    private static boolean deleteLeftovers(DownloadRequest request) throws IOException {
        boolean any = false;
        Path temp = request.tempFile();
        if (request.checkpoint() != null) {
            try {
                DownloadCheckpoint cp = CheckpointFiles.read(request.checkpoint(), DownloadCheckpoint.class);
                if (cp != null && cp.tempFile() != null && !cp.tempPath().equals(temp)
                        && cp.tempFile().endsWith(DownloadRequest.TEMP_SUFFIX)) {
                    any |= Files.deleteIfExists(cp.tempPath());
                }
            } catch (IOException | RuntimeException unreadable) {
                // nothing more to learn from it; it is deleted below
            }
            any |= CheckpointFiles.delete(request.checkpoint());
        }
        any |= Files.deleteIfExists(temp);
        return any;
    }

    /** Runs the download to its end (completed, paused, cancelled or failed). */
    public DownloadResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Download runs once; create a new one to resume");
        }
        notifier.start();
        notifier.emit(TransferEvent.of(Type.STARTED, request.source().toString()));
        DownloadResult result;
        try {
            result = execute();
        } catch (RuntimeException e) {
            result = finishFailed("internal error: " + e, e, FailureKind.TRANSIENT);
        } finally {
            closeTemp();
            releaseLock();
        }
        notifier.emit(TransferEvent.of(terminalEvent(result.state()), result.message()));
        notifier.finish(10_000);
        return result;
    }

    private void releaseLock() {
        if (tempLock != null) {
            tempLock.close();
            tempLock = null;
        }
    }

    private static Type terminalEvent(TransferState s) {
        return switch (s) {
            case COMPLETED -> Type.SUCCEEDED;
            case PAUSED -> Type.PAUSED;
            case CANCELLED -> Type.CANCELLED;
            default -> Type.FAILED;
        };
    }

    // ------------------------------------------------------------------ phases

    private DownloadResult execute() {
        state = TransferState.CONNECTING;
        if (stop.kind() != StopRequest.Kind.NONE) {
            return finishStopped();
        }
        try {
            if (request.knownInfo() == null && request.connections() > 1) {
                // the parts' connections open while the HEAD is out, instead of one round trip after it
                store.connectAhead(request.source(), request.connections() - 1);
            }
            info = request.knownInfo() != null ? request.knownInfo() : store.head(request.source(), cancel);
            probed = info;
        } catch (InterruptedIOException e) {
            return finishStopped();
        } catch (StoreException e) {
            return finishFailed(e.getMessage(), e, kindOf(e));
        }
        if (finishedBeforeACrash()) {
            deleteCheckpoint();
            state = TransferState.COMPLETED;
            return result(TransferState.COMPLETED, "already downloaded to " + request.destination(), null,
                    FailureKind.NONE);
        }
        String destinationProblem = checkDestination();
        if (destinationProblem != null) {
            return finishFailed(destinationProblem, null, FailureKind.INPUT);
        }
        String leftAlone = CheckpointFiles.leftAlone(request.checkpoint(), DownloadCheckpoint.KIND,
                DownloadCheckpoint.class, cp -> cp.problem() != null || belongsHere(cp));
        if (leftAlone != null) {
            return finishFailed(leftAlone, null, FailureKind.INPUT);
        }
        try {
            if (!openTemp()) {
                return finishFailed("another download is already writing to " + request.tempFile(), null,
                        FailureKind.BUSY);
            }
            if (finishedButNotRenamed()) {
                return renameFinished();
            }
            planParts();
        } catch (TempInTheWayException e) {
            closeTemp(); // untouched, and left where it is
            return finishFailed(e.getMessage(), null, FailureKind.INPUT);
        } catch (IOException e) {
            notifier.emit(TransferEvent.of(Type.TEMP_FILE_FAILED, describe(e)));
            return finishFailed("cannot write " + request.tempFile() + ": " + describe(e), e, localKind(e));
        }
        String noSpace = checkFreeSpace();
        if (noSpace != null) {
            keepOrDropPartial();
            return finishFailed(noSpace, null, FailureKind.DISK_FULL);
        }

        return transferThenFinish();
    }

    /** Fetches what is pending, then ends the run: stopped, failed, or completed and verified. */
    private DownloadResult transferThenFinish() {
        state = TransferState.TRANSFERRING;
        transferParts();
        if (stop.kind() != StopRequest.Kind.NONE && failure.get() == null) {
            return finishStopped();
        }
        Throwable failed = failure.get();
        if (failed != null) {
            return finishAfterFailure(failed);
        }
        return complete();
    }

    /**
     * A run that renamed its file into place but was killed before deleting its checkpoint leaves a complete
     * checkpoint, no temp file and the destination at full size: that download is done, not in conflict.
     */
    private boolean finishedBeforeACrash() {
        Path dest = request.destination();
        if (request.checkpoint() == null || request.overwrite() || Files.exists(request.tempFile())
                || !Files.isRegularFile(dest)) {
            return false;
        }
        try {
            DownloadCheckpoint cp = CheckpointFiles.read(request.checkpoint(), DownloadCheckpoint.class);
            return cp != null && cp.problem() == null && belongsHere(cp) && identityChange(cp.object(), info) == null
                    && cp.parts().stream().allMatch(DownloadCheckpoint.Part::isDone) && info.sizeKnown()
                    && Files.size(dest) == info.size();
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private String checkDestination() {
        Path dest = request.destination();
        Path dir = dest.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "destination folder does not exist: " + dir;
        }
        if (!Files.isWritable(dir)) {
            return "destination folder is not writable: " + dir;
        }
        if (Files.isDirectory(dest)) {
            return "destination is a folder: " + dest;
        }
        if (Files.exists(dest) && !request.overwrite()) {
            return destinationExists();
        }
        return null;
    }

    /** Below this the free-space check is left to the writes: a folder of small files would pay for it per file. */
    private static final long SPACE_CHECK_FROM_BYTES = 1 << 20;

    /**
     * Fails early when the bytes still to write cannot fit. The temp file is sparse, so what is not yet
     * written takes no space; a file system that cannot tell reports plenty and the check passes.
     */
    private String checkFreeSpace() {
        if (!info.sizeKnown()) {
            return null;
        }
        long needed = Arrays.stream(parts).mapToLong(p -> p.length - p.done.get()).sum();
        if (needed < SPACE_CHECK_FROM_BYTES) {
            return null; // the write itself reports a full disk
        }
        try {
            // statvfs of the file (created by now); a FileStore would parse the mount table on every call. 0 is
            // also what a failed statvfs gives: then the writes themselves report a full disk
            long usable = request.tempFile().toFile().getUsableSpace();
            if (usable > 0 && needed > usable) {
                return "no space left on device: " + needed + " bytes still to write, " + usable + " free for "
                        + request.tempFile();
            }
        } catch (RuntimeException unknown) {
            // the write itself reports a full disk
        }
        return null;
    }

    /**
     * A run killed after it recorded its finished file and before the rename leaves that file at the temp name with
     * the run's lock file beside it. With no checkpoint naming the file, nothing else would finish it: when its
     * record shows it is this object as it is now (size and ETag, and the file unchanged since), only the rename is
     * left. The lock file is required, so a finished download of another object that happens to have this name
     * (objects {@code x} and {@code x.ferry-partial} in one prefix) is never moved.
     */
    private boolean finishedButNotRenamed() {
        Path temp = request.tempFile();
        try {
            return tempExisted && tempLockLeft && info.sizeKnown() && !checkpointNamesTemp(request)
                    && FileOrigin.recorded(temp)
                    && FileOrigin.check(temp, info.size(), info.etag(), null) == FileOrigin.Match.PROVEN;
        } catch (IOException unreadable) {
            return false;
        }
    }

    private DownloadResult renameFinished() {
        closeTemp();
        notifier.emit(TransferEvent.of(Type.VERIFIED, request.tempFile() + " is this object (ETag " + info.etag()
                + "), finished by an earlier run that stopped before renaming it"));
        try {
            moveIntoPlace();
        } catch (FileAlreadyExistsException e) {
            return finishFailed(destinationExists(), e, FailureKind.INPUT);
        } catch (IOException e) {
            return renameFailed(e);
        }
        reused = info.size();
        return inPlace("downloaded " + info.size() + " bytes to " + request.destination()
                + " (an earlier run had finished the file; only its rename was left)");
    }

    private String destinationExists() {
        return "destination already exists: " + request.destination() + " (use --overwrite to replace it)";
    }

    private DownloadResult renameFailed(IOException e) {
        notifier.emit(TransferEvent.of(Type.RENAME_FAILED, describe(e)));
        return finishFailed("cannot rename " + request.tempFile() + " to " + request.destination() + ": "
                + describe(e), e, localKind(e));
    }

    /** The file is in place: the run ends completed, with nothing of it left beside the file. */
    private DownloadResult inPlace(String message) {
        notifier.emit(TransferEvent.of(Type.RENAME_SUCCEEDED, request.destination().toString()));
        deleteCheckpoint();
        releaseLock(); // gone before the state says so
        state = TransferState.COMPLETED;
        return result(TransferState.COMPLETED, message, null, FailureKind.NONE);
    }

    /**
     * Locks and opens the temp file; false when another Download of this JVM or another process works on it (the
     * lock keeps out both).
     */
    private boolean openTemp() throws IOException {
        Path temp = request.tempFile();
        // not an OS lock on the temp file itself: on POSIX systems a process loses such a lock whenever it closes
        // any descriptor of the file, and the temp file's generation attribute is read and written by name
        tempLockLeft = Files.exists(CheckpointLock.fileOf(temp)); // a killed run's, or a live one's (then busy)
        tempLock = CheckpointLock.tryAcquire(temp);
        if (tempLock == null) {
            return false;
        }
        tempExisted = Files.exists(temp);
        channel = new RandomAccessFile(temp.toFile(), "rw").getChannel();
        tempKey = fileKey(temp);
        return true;
    }

    /** Builds the part list: from a valid checkpoint, or fresh. Sizes the temp file. */
    private void planParts() throws IOException {
        crcChecked = Crc64.from(info.checksums()).isPresent();
        DownloadCheckpoint cp = loadUsableCheckpoint(info);
        if (cp != null) {
            resumePlan(cp);
        } else {
            freshPlan();
        }
        sizeTempFile(info.size());
        lastSaved = cp == null ? null : recorded(cp);
        if (cp != null) {
            // a resumed plan is recorded at once: the old checkpoint may claim bytes the file no longer has
            saveCheckpointQuietly();
        }
        notifier.emit(TransferEvent.of(Type.TEMP_FILE_CREATED, request.tempFile().toString()));
    }

    private void resumePlan(DownloadCheckpoint cp) throws IOException {
        long size = info.size();
        parts = cp.parts().stream().map(Download::resumedPart).toArray(Part[]::new);
        String repair;
        if (tempExisted && !TempGeneration.matches(request.tempFile(), cp.tempGeneration())) {
            // another run (without this checkpoint) started the file afresh: none of its bytes are ours. Unless
            // nothing shows it is Ferry's at all: then it is somebody's, whatever the checkpoint says was there
            mayStartOver(false);
            resetParts();
            channel.truncate(0);
            generation = TempGeneration.mark(request.tempFile());
            repair = "the temp file is not the one the checkpoint describes, so every part is fetched again";
        } else {
            generation = tempExisted ? cp.tempGeneration() : TempGeneration.mark(request.tempFile());
            repair = repairAgainstTempFile(size);
        }
        reused = Arrays.stream(parts).mapToLong(p -> p.done.get()).sum();
        long doneParts = Arrays.stream(parts).filter(Part::isDone).count();
        String left = size == ObjectInfo.UNKNOWN_SIZE ? reused + " bytes kept"
                : (size - reused) + " of " + size + " bytes left";
        notifier.emit(TransferEvent.of(Type.RESUMED, "resuming: " + doneParts + " of " + parts.length
                + " parts done, " + left + (repair == null ? "" : "; " + repair)));
    }

    private static Part resumedPart(DownloadCheckpoint.Part recorded) {
        long length = recorded.length() == DownloadCheckpoint.OPEN_LENGTH ? Part.OPEN : recorded.length();
        Part p = new Part(recorded.number(), recorded.start(), length, recorded.completed());
        if (recorded.isDone()) {
            p.recordedCrc = recorded.crc64();
            p.recordedC32 = recorded.crc32c();
        }
        return p;
    }

    private void freshPlan() throws IOException {
        long size = info.size();
        if (info.parallelReads()) {
            long partSize = PartPlan.effectivePartSize(size, request.partSize());
            parts = PartPlan.split(size, partSize).stream().map(r -> new Part(r.number(), r.start(), r.length(), 0))
                    .toArray(Part[]::new);
        } else {
            // no ranges, or no length: one stream from the first byte (resumed from where it stopped when it can)
            parts = new Part[]{new Part(1, 0, info.sizeKnown() ? size : Part.OPEN, 0)};
            if (request.connections() > 1) {
                notifier.emit(TransferEvent.of(Type.RESUMED, info.rangeReads()
                        ? "the server does not say how large the file is, so it comes as one stream"
                        : "the server does not serve byte ranges, so the file comes as one stream"));
            }
        }
        mayStartOver(tempNamed);
        channel.truncate(0);
        generation = TempGeneration.mark(request.tempFile());
    }

    /** Refuses to empty a temp file that was there before this run unless it is a partial download of Ferry's. */
    private void mayStartOver(boolean named) throws TempInTheWayException {
        String why = tempExisted ? tempInTheWay(request.tempFile(), tempLockLeft, named) : null;
        if (why != null) {
            throw new TempInTheWayException(why);
        }
    }

    private static long[] recorded(DownloadCheckpoint cp) {
        return cp.parts().stream().mapToLong(DownloadCheckpoint.Part::completed).toArray();
    }

    private void sizeTempFile(long size) throws IOException {
        if (size == ObjectInfo.UNKNOWN_SIZE) {
            // a stream of unknown length: the file ends where the last byte kept was written
            long kept = parts[0].done.get();
            if (channel.size() > kept) {
                channel.truncate(kept);
            }
        } else if (channel.size() > size) {
            channel.truncate(size);
        } else if (channel.size() < size) {
            channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private void resetParts() {
        for (Part p : parts) {
            p.restart();
        }
    }

    /** Lowers part progress the temp file cannot back; returns what was repaired, or null. */
    private String repairAgainstTempFile(long size) throws IOException {
        if (!tempExisted) {
            resetParts();
            return "the temp file was missing, so every part is fetched again";
        }
        long length = channel.size();
        long expected = size == ObjectInfo.UNKNOWN_SIZE ? parts[0].done.get() : size;
        if (length >= expected) {
            return null;
        }
        int affected = 0;
        for (Part p : parts) {
            long backed = Math.max(0, Math.min(p.done.get(), length - p.start));
            if (backed < p.done.get()) {
                if (backed == 0) {
                    p.restart();
                } else {
                    p.done.set(backed);
                    p.crcBytes = -1;
                }
                affected++;
            }
        }
        return "the temp file was " + length + " bytes instead of " + expected + ", so " + affected
                + " part(s) are fetched again from where the file ends";
    }

    private DownloadCheckpoint loadUsableCheckpoint(ObjectInfo obj) throws IOException {
        Path file = request.checkpoint();
        if (file == null) {
            return null;
        }
        DownloadCheckpoint cp;
        try {
            cp = CheckpointFiles.read(file, DownloadCheckpoint.class);
        } catch (IOException | RuntimeException e) {
            return discardCheckpoint("the checkpoint " + file + " is unreadable or corrupt (" + damage(e) + ")");
        }
        if (cp == null) {
            return null;
        }
        String problem = cp.problem();
        if (problem != null) {
            return discardCheckpoint("the checkpoint " + file + " cannot be used: " + problem);
        }
        if (!belongsHere(cp)) {
            return discardCheckpoint("the checkpoint " + file + " belongs to a different transfer");
        }
        tempNamed = true;
        String changed = identityChange(cp.object(), obj);
        if (changed != null) {
            return discardCheckpoint("the object changed since the checkpoint (" + changed + ")");
        }
        return cp;
    }

    /**
     * Whether the checkpoint is this transfer's: same source, destination and temp file. A link's file may come
     * back through a fresh link (a new signature, another mirror): its checkpoint then belongs to whatever link
     * serves the same file, which the identity check that follows (ETag, size, Last-Modified) decides.
     */
    private boolean belongsHere(DownloadCheckpoint cp) {
        try {
            boolean sameSource = cp.sameSource(sourceRecord())
                    || store.checkpointFollowsContent() && cp.object().etag() != null;
            return sameSource && cp.destination().equals(request.destination().toString())
                    && cp.tempPath().equals(request.tempFile());
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    /** What is wrong with a checkpoint that could not be read: its content, or the reading itself. */
    static String damage(Exception e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException ? "its content is damaged"
                : describe(e);
    }

    private DownloadCheckpoint discardCheckpoint(String why) throws IOException {
        notifier.emit(TransferEvent.of(Type.CHECKPOINT_DISCARDED, why + "; starting over"));
        CheckpointFiles.delete(request.checkpoint());
        return null;
    }

    static String identityChange(ObjectIdentity saved, ObjectInfo now) {
        if (saved.size() != now.size()) {
            return "size " + saved.size() + " is now " + now.size();
        }
        if (!Objects.equals(Etags.bare(saved.etag()), Etags.bare(now.etag()))) {
            return "ETag " + saved.etag() + " is now " + now.etag();
        }
        if (!sameTime(saved.lastModified(), now.lastModified())) {
            return "Last-Modified " + saved.lastModified() + " is now " + now.lastModified();
        }
        if (!Objects.equals(saved.versionId(), now.versionId())) {
            return "version " + saved.versionId() + " is now " + now.versionId();
        }
        return null;
    }

    /**
     * Whether two Last-Modified values name the same second. A HEAD answers with an HTTP date and a listing with an
     * ISO-8601 instant (to the millisecond), so a checkpoint written by a run that knew the object from a listing
     * still matches a HEAD of the same object. Values that are not dates compare as text.
     */
    static boolean sameTime(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        Instant x = parseTime(a);
        Instant y = parseTime(b);
        return x != null && y != null && x.getEpochSecond() == y.getEpochSecond();
    }

    private static Instant parseTime(String v) {
        if (v == null) {
            return null;
        }
        try {
            return java.time.ZonedDateTime.parse(v.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (java.time.format.DateTimeParseException notHttpDate) {
            try {
                return Instant.parse(v.trim());
            } catch (java.time.format.DateTimeParseException notIso) {
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ transfer

    private void transferParts() {
        Part[] ps = parts;
        int pending = (int) Arrays.stream(ps).filter(p -> !p.isDone()).count();
        int workers = Math.min(request.connections(), pending);
        if (workers == 0) {
            return;
        }
        PartScheduler scheduler = new PartScheduler(ps.length, i -> ps[i].isDone(), i -> ps[i].done.get() > 0,
                workers, info.parallelReads() ? this::split : null);
        CountDownLatch stopCheckpointer = new CountDownLatch(1);
        CountDownLatch checkpointerEnded = startCheckpointer(stopCheckpointer);
        try (CancelSignal.Registration wake = cancel.register(scheduler::wake)) {
            Workers.runAll(workers, "ferry-dl-" + name, () -> work(scheduler), this::fail);
        }
        stopCheckpointer.countDown();
        Uninterruptibly.await(checkpointerEnded);
    }

    /**
     * Every {@link #CHECKPOINT_INTERVAL_MILLIS} until {@code stop} opens, forces the written data to disk
     * and records it in the checkpoint. Without a checkpoint the forcing still runs, so the disk writes
     * keep pace with the network instead of piling up for the force before the final rename. Never
     * interrupted: an interrupt during {@code force()} would close the shared temp-file channel.
     */
    private CountDownLatch startCheckpointer(CountDownLatch stop) {
        CountDownLatch ended = new CountDownLatch(1);
        Runnable loop = () -> {
            try {
                while (!stop.await(CHECKPOINT_INTERVAL_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (tempFileGone()) {
                        fail(new TempFileGoneException(request.tempFile()));
                        return;
                    }
                    saveCheckpointQuietly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ended.countDown();
            }
        };
        try {
            TransferThreads.start("ferry-checkpoint-" + name, loop);
        } catch (OutOfMemoryError | java.util.concurrent.RejectedExecutionException noThread) {
            ended.countDown(); // the run goes on; its checkpoint is saved when it ends
        }
        return ended;
    }

    private void work(PartScheduler scheduler) {
        ByteBuffer buffer = Buffers.take();
        try {
            workWith(scheduler, buffer);
        } finally {
            Buffers.give(buffer);
        }
    }

    private void workWith(PartScheduler scheduler, ByteBuffer buffer) {
        while (true) {
            PartScheduler.Run run;
            try {
                // with nothing to take now, a part still in flight may yet turn out slow enough to split
                run = scheduler.nextWaiting(IDLE_RECHECK_MILLIS, () -> failure.get() != null || cancel.isCancelled());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (run == null) {
                return;
            }
            if (!fetchRun(scheduler, run, buffer)) {
                scheduler.abandon(run);
                return;
            }
        }
    }

    /**
     * Fetches a run of parts, retrying failures that leave hope; each retry asks for the rest of the run
     * from the exact byte where the last answer stopped. False when the run stopped (paused, cancelled or
     * failed).
     */
    private boolean fetchRun(PartScheduler scheduler, PartScheduler.Run run, ByteBuffer buffer) {
        int failures = 0;
        while (true) {
            long before = position(run);
            try {
                streamRun(scheduler, run, buffer);
                return true;
            } catch (SlowConnectionException slow) {
                Part p = parts[run.current()];
                p.active = false;
                partEvent(Type.PART_RECONNECTED, p, slow.getMessage());
            } catch (IOException e) {
                Part p = parts[run.current()];
                p.active = false;
                // an attempt that moved the run on starts the count afresh
                failures = position(run) > before ? 1 : failures + 1;
                if (!mayRetry(p, e, failures)) {
                    return false;
                }
            }
        }
    }

    private long position(PartScheduler.Run run) {
        Part p = parts[run.current()];
        return p.start + p.done.get();
    }

    /**
     * One GET from the run's current byte to the end of its last part, streamed through the parts in
     * order. Stops at a part boundary when another worker has taken the rest of the run; closing the body
     * early then costs only that connection.
     */
    private void streamRun(PartScheduler scheduler, PartScheduler.Run run, ByteBuffer buffer) throws IOException {
        long from = position(run);
        Part last = parts[run.last()];
        long to = last.isOpen() ? -1 : last.start + last.length - 1;
        try (RangeBody body = store.getRange(request.source(), from, to, info.etag(), cancel)) {
            checkSameObject(body);
            ReadableByteChannel in = body.channel();
            do {
                Part p = parts[run.current()];
                p.activate();
                if (p.isOpen()) {
                    copyToEnd(p, in, buffer);
                } else {
                    copyBody(p, in, buffer);
                }
                notePace(p.finishedPace(System.nanoTime()));
                p.active = false;
                partEvent(Type.PART_SUCCEEDED, p, null);
            } while (scheduler.advance(run));
        }
    }

    /** Reports a failed attempt and waits out the back-off; false when the part gives up. */
    private boolean mayRetry(Part p, IOException e, int failures) {
        if (e instanceof LocalWriteException) {
            abortPart(p, "local write failed: " + describe(e.getCause()));
            fail(e.getCause());
            return false;
        }
        if (cancel.isCancelled()) {
            abortPart(p, stop.reason());
            return false;
        }
        // a server error has been through the store's own retries already: retrying here would multiply them
        if (e instanceof SourceChangedException
                || e instanceof StoreException se && (!se.isRetryable() || se.isServerError())) {
            partEvent(Type.PART_FAILED, p, e.getMessage());
            fail(e);
            return false;
        }
        if (failures >= partRetry.maxAttempts()) {
            partEvent(Type.PART_FAILED, p, describe(e) + "; giving up after " + failures + " attempts");
            fail(e);
            return false;
        }
        partEvent(Type.PART_FAILED, p, describe(e) + "; retrying from byte " + (p.start + p.done.get()));
        return backOff(p, failures);
    }

    private boolean backOff(Part p, int failures) {
        try {
            cancel.sleep(partRetry.delayMillis(failures, -1));
            return true;
        } catch (InterruptedIOException stopped) {
            abortPart(p, stop.reason());
            return false;
        }
    }

    /**
     * Refuses an answer from another version of the object. If-Match should make the server do that, but
     * not every S3-compatible server honours it; the ETag and size the answer carries tell as well.
     */
    private void checkSameObject(RangeBody body) throws SourceChangedException {
        String etag = body.etag();
        if (etag != null && info.etag() != null && !Etags.bare(etag).equals(info.bareEtag())) {
            throw new SourceChangedException("ETag " + info.etag() + " is now " + etag);
        }
        long size = body.objectSize();
        if (size >= 0 && info.sizeKnown() && size != info.size()) {
            throw new SourceChangedException("size " + info.size() + " is now " + size);
        }
    }

    /**
     * Copies a part's body into place one rate-limiter quantum at a time. The limiter admits a quantum
     * before it is read, so the counters never run ahead of the limit; bytes that arrived before the
     * body failed are still written and counted, so a retry starts exactly where this body stopped.
     */
    private void copyBody(Part p, ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (true) {
            long remaining;
            int want;
            // the part may shrink (another connection took its back half): each quantum is reserved first, so a
            // split never cuts into bytes this connection is already reading
            synchronized (p) {
                remaining = p.length - p.done.get();
                if (remaining <= 0) {
                    return;
                }
                want = (int) Math.min(remaining, limiter.quantum(Buffers.BYTES));
                p.reserved = p.done.get() + want;
            }
            limiter.acquire(want, cancel);
            buffer.clear().limit(want);
            try {
                fill(in, buffer, remaining);
            } finally {
                keep(p, buffer);
            }
            checkPace(p);
        }
    }

    /**
     * Gives up this part's connection when, a second or more into the part, it runs at under a quarter of the
     * median pace of the other parts in flight (at least two of them) with over {@link #MIN_SPLIT_BYTES} still to
     * come: the part goes on from the same byte on another connection, and the slow one, its answer unread, is
     * closed. At most one replacement per connection of the transfer; never under a rate limit, where the limiter
     * sets every pace. Looks at most every {@link #PACE_CHECK_NANOS}.
     */
    private void checkPace(Part p) throws SlowConnectionException {
        long now = System.nanoTime();
        if (now - p.activeSince < TAKEOVER_AFTER_NANOS || now - p.paceCheckedAt < PACE_CHECK_NANOS) {
            return;
        }
        p.paceCheckedAt = now;
        if (p.length - p.done.get() < MIN_SPLIT_BYTES || limiter.effectiveRate() > 0) {
            return;
        }
        double mine = p.pace(now);
        List<Double> others = new ArrayList<>();
        for (Part q : parts) {
            double pace = q == p ? -1 : q.pace(now);
            if (pace > 0) {
                others.add(pace);
            }
        }
        if (mine < 0 || others.size() < 2) {
            return;
        }
        others.sort(null);
        double median = others.get(others.size() / 2);
        if (mine * SLOW_FACTOR < median && replacements.getAndIncrement() < request.connections()) {
            throw new SlowConnectionException(String.format(java.util.Locale.ROOT,
                    "its connection ran at %.1f MB/s, the others at %.1f MB/s; going on from byte %d on another "
                            + "connection", mine * 1e3, median * 1e3, p.start + p.done.get()));
        }
    }

    /**
     * Hands an idle connection the back half of the part in flight with the most bytes still to come (only when
     * both halves keep at least {@link #MIN_SPLIT_BYTES}): that part now ends where the new one starts. The new
     * part is appended, so indexes the scheduler holds stay valid; the split and a checkpoint never interleave,
     * so every checkpoint covers the object exactly.
     */
    private int split(List<Integer> inFlight) {
        Part[] ps = parts;
        Part victim = null;
        boolean takeAll = false;
        long longest = 0;
        long now = System.nanoTime();
        for (int i : inFlight) {
            notePace(ps[i].pace(now));
        }
        // under a rate limit every connection goes at the pace the limiter grants it: none is to blame
        double fastest = limiter.effectiveRate() > 0 ? 0 : fastestPace;
        for (int i : inFlight) {
            long left = ps[i].unreserved();
            long nanosLeft = ps[i].nanosToFinish(left, now);
            if (nanosLeft <= longest) {
                continue;
            }
            if (slowEnoughToReplace(ps[i], left, nanosLeft, fastest, now)) {
                longest = nanosLeft;
                victim = ps[i];
                takeAll = true;
            } else if (left >= 2 * MIN_SPLIT_BYTES && nanosLeft > SPLIT_WHEN_NANOS_LEFT) {
                longest = nanosLeft;
                victim = ps[i];
                takeAll = false;
            }
        }
        if (victim == null) {
            return -1;
        }
        Part taken;
        synchronized (saveLock) {
            synchronized (victim) {
                long left = victim.unreserved();
                if (left < (takeAll ? MIN_TAKEOVER_BYTES : 2 * MIN_SPLIT_BYTES)) {
                    return -1;
                }
                long end = victim.start + victim.length;
                long at = takeAll ? end - left : end - left / 2;
                if (at <= victim.start) {
                    return -1; // the victim keeps at least what it has started on
                }
                int number = Arrays.stream(ps).mapToInt(p -> p.number).max().orElse(0) + 1;
                taken = new Part(number, at, end - at, 0);
                taken.fromTakeover = takeAll;
                victim.length = at - victim.start;
                Part[] grown = Arrays.copyOf(ps, ps.length + 1);
                grown[ps.length] = taken;
                parts = grown;
            }
        }
        partEvent(Type.PART_SPLIT, taken, (takeAll ? "an idle connection takes over from a slow one: bytes "
                : "an idle connection takes bytes ") + taken.start + "-" + (taken.start + taken.length - 1)
                + " from part " + victim.number);
        return ps.length;
    }

    /**
     * Whether a part's connection is so far below the fastest pace of this run that another connection should take
     * all it has not started on: at least {@link #SLOW_FACTOR} times slower, and the takeover, at the fastest pace
     * plus its cost, ends sooner than the slow connection would.
     */
    private static boolean slowEnoughToReplace(Part p, long left, long nanosLeft, double fastest, long now) {
        // a part a takeover made is only ever halved: its new connection may still be in slow start, and taking it
        // over again would trade one fresh connection for another
        if (p.fromTakeover || now - p.activeSince < TAKEOVER_AFTER_NANOS) {
            return false;
        }
        double pace = p.pace(now);
        if (left < MIN_TAKEOVER_BYTES || fastest <= 0 || pace < 0 || pace * SLOW_FACTOR > fastest) {
            return false;
        }
        return nanosLeft > left / fastest + TAKEOVER_COST_NANOS;
    }

    /** Keeps the fastest pace (bytes per nanosecond) a connection has kept over a part in this run. */
    private synchronized void notePace(double pace) {
        if (pace > fastestPace) {
            fastestPace = pace;
        }
    }

    /** The parts in the order of their bytes (parts split off later come last in the array). */
    private static Part[] byOffset(Part[] ps) {
        Part[] sorted = ps.clone();
        Arrays.sort(sorted, java.util.Comparator.comparingLong(p -> p.start));
        return sorted;
    }

    /**
     * Copies a stream of unknown length to its end, then closes the part at the length it had. A stream cut
     * short looks the same as one that ended, so only a server that says nothing about the length gets here.
     */
    private void copyToEnd(Part p, ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (true) {
            int want = (int) limiter.quantum(Buffers.BYTES);
            limiter.acquire(want, cancel);
            buffer.clear().limit(want);
            int n;
            try {
                n = readSome(in, buffer);
            } finally {
                keep(p, buffer);
            }
            if (n < 0) {
                p.close();
                info = info.withSize(p.length);
                return;
            }
        }
    }

    /** Fills the buffer or reads to the end of the stream; -1 when the stream ended. */
    private static int readSome(ReadableByteChannel in, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                return -1;
            }
        }
        return buffer.position();
    }

    private static void fill(ReadableByteChannel in, ByteBuffer buffer, long remaining) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw new EOFException("the connection ended " + (remaining - buffer.position()) + " bytes early");
            }
        }
    }

    /** Writes what the buffer holds at the part's next offset and counts it; returns the byte count. */
    private int keep(Part p, ByteBuffer buffer) throws LocalWriteException {
        buffer.flip();
        int got = buffer.remaining();
        if (got > 0) {
            if (crcChecked && p.crcBytes == p.done.get()) {
                p.crc = Crc64.update(p.crc, buffer.duplicate());
                p.crcBytes += got;
            }
            // one checksum per part as it arrives: the object's own CRC-64 where it has one, else CRC-32C
            if (!crcChecked && p.c32Bytes == p.done.get()) {
                p.c32.update(buffer.duplicate());
                p.c32Bytes += got;
            }
            write(buffer, p.start + p.done.get());
            fetched.addAndGet(got);
            p.done.addAndGet(got);
        }
        return got;
    }

    private void write(ByteBuffer buffer, long position) throws LocalWriteException {
        try {
            long pos = position;
            while (buffer.hasRemaining()) {
                pos += channel.write(buffer, pos);
            }
        } catch (IOException e) {
            throw new LocalWriteException(e);
        }
    }

    /** A part's connection is too slow to keep: the run goes on from the same byte on another connection. */
    private static final class SlowConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        SlowConnectionException(String message) {
            super(message);
        }
    }

    /** The temp file was removed (with its folder, most often) while the run wrote to it. */
    private static final class TempFileGoneException extends IOException {
        private static final long serialVersionUID = 1L;

        TempFileGoneException(Path temp) {
            super(Files.isDirectory(temp.getParent())
                    ? "the temp file " + temp + " was removed during the download"
                    : "the destination folder " + temp.getParent() + " no longer exists");
        }
    }

    /** The server answered from another version of the object: never retried. */
    private static final class SourceChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceChangedException(String what) {
            super("the object changed during the download (" + what + ")");
        }
    }

    /** A failure writing the local file: never retried against the server. */
    private static final class LocalWriteException extends IOException {
        private static final long serialVersionUID = 1L;

        LocalWriteException(IOException cause) {
            super(cause);
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        cancel.cancel();
    }

    private void abortPart(Part p, String why) {
        partEvent(Type.PART_ABORTED, p, why);
    }

    private void partEvent(Type type, Part p, String message) {
        notifier.emit(TransferEvent.part(type, p.number, p.start, p.isOpen() ? -1 : p.start + p.length - 1,
                message));
    }

    // ------------------------------------------------------------------ checkpoints

    private long[] doneArray() {
        return doneArray(parts);
    }

    private static long[] doneArray(Part[] ps) {
        long[] done = new long[ps.length];
        for (int i = 0; i < ps.length; i++) {
            done[i] = ps[i].done.get();
        }
        return done;
    }

    /** Forces the data the snapshot counts, then records it (if there is a checkpoint). Skips when nothing changed. */
    private void saveCheckpoint() throws IOException {
        synchronized (writeLock) {
            long[] done;
            DownloadCheckpoint cp;
            // the parts as they stand, never halfway through a split; the slow part (the disk) comes after, so a
            // split waits for a snapshot at most, not for a force
            synchronized (saveLock) {
                Part[] ps = parts;
                done = doneArray(ps);
                if (Arrays.equals(done, lastSaved)) {
                    return;
                }
                cp = request.checkpoint() != null ? checkpointOf(ps, done) : null;
            }
            channel.force(false); // every byte the snapshot counts was written before it was counted
            if (cp != null) {
                CheckpointFiles.write(request.checkpoint(), cp);
            }
            lastSaved = done;
        }
    }

    /** Saves the checkpoint; a failure is reported once, not at every save that meets it again. */
    private void saveCheckpointQuietly() {
        try {
            saveCheckpoint();
            saveFailure = null;
        } catch (IOException | RuntimeException e) {
            reportSaveFailure(describe(e));
        }
    }

    /** The first failure of a run of failed saves is reported (their messages differ: each names its own temp file). */
    private void reportSaveFailure(String why) {
        if (saveFailure == null) {
            notifier.emit(TransferEvent.of(Type.CHECKPOINT_FAILED, why));
        }
        saveFailure = why;
    }

    private SourceRecord sourceRecord() {
        return new SourceRecord(store.endpointId(), request.source().bucket(), request.source().key(),
                request.source().versionId());
    }

    /** The checkpoint of the parts {@code all} with {@code done[i]} bytes of {@code all[i]}, in byte order. */
    private DownloadCheckpoint checkpointOf(Part[] all, long[] done) {
        ObjectInfo obj = probed;
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, java.util.Comparator.comparingLong(i -> all[i].start));
        List<DownloadCheckpoint.Part> ps = new ArrayList<>(all.length);
        int number = 1;
        for (int i : order) {
            Part p = all[i];
            long length = obj.sizeKnown() ? p.length : DownloadCheckpoint.OPEN_LENGTH;
            boolean finished = done[i] >= p.length;
            ps.add(new DownloadCheckpoint.Part(number++, p.start, length, done[i],
                    finished ? p.crcToRecord() : null, finished ? p.c32ToRecord() : null));
        }
        long partSize = all.length == 0 ? request.partSize() : all[0].isOpen() ? 0 : all[0].length;
        return new DownloadCheckpoint(DownloadCheckpoint.FORMAT_VERSION, DownloadCheckpoint.KIND, sourceRecord(),
                new ObjectIdentity(obj.etag(), obj.size(), obj.lastModified(), obj.versionId(),
                        obj.checksums()),
                request.destination().toString(), request.tempFile().toString(), obj.size(), partSize,
                Instant.now().toString(), ps, generation);
    }

    // ------------------------------------------------------------------ endings

    private DownloadResult complete() {
        if (!Arrays.stream(parts).allMatch(Part::isDone)) {
            // only a stop that raced the last part ends here; what is on disk stays resumable
            return stop.kind() != StopRequest.Kind.NONE ? finishStopped()
                    : finishAfterFailure(new IOException("not every part was fetched"));
        }
        state = TransferState.VERIFYING;
        ObjectInfo obj = info;
        try {
            long length = channel.size();
            if (length != obj.size()) {
                return discardAndFail("the temp file is " + length + " bytes, the object " + obj.size());
            }
            // with a CRC-64 the whole-file check below finds the parts that changed on disk
            List<Part> altered = crcChecked ? List.of() : partsChangedOnDisk();
            if (!altered.isEmpty() && !refetched) {
                return fetchAgain(altered, "this part changed on disk since an earlier run fetched it (its CRC-32C "
                        + "differs from the one recorded); fetching it again");
            }
            Verifier.Outcome outcome;
            if (crcChecked) {
                List<Part> bad = crcMismatches(Crc64.from(obj.checksums()).getAsLong());
                if (bad != null && !bad.isEmpty() && !refetched) {
                    return fetchAgain(bad);
                }
                outcome = crcOutcome(obj, bad == null);
            } else {
                outcome = Verifier.verify(obj, channel);
                if (!outcome.ok() && obj == request.knownInfo()) {
                    outcome = verifyAgainstHead(obj, outcome);
                }
            }
            if (!outcome.ok()) {
                return discardAndFail("the downloaded data does not match the object's " + outcome.what()
                        + "; the partial download was discarded");
            }
            if (outcome.checked()) {
                notifier.emit(TransferEvent.of(Type.VERIFIED, outcome.what()));
            }
            channel.force(true);
        } catch (IOException e) {
            saveCheckpointQuietly();
            return finishFailed("cannot finish " + request.tempFile() + ": " + describe(e), e, localKind(e));
        }
        if (stop.kind() != StopRequest.Kind.NONE) {
            return finishStopped();
        }
        closeTemp();
        // the file goes into place recorded as a finished download, which no run takes for a partial one
        FileOrigin.record(request.tempFile(), obj.etag());
        try {
            moveIntoPlace();
        } catch (FileAlreadyExistsException e) {
            backToPartial();
            notifier.emit(TransferEvent.of(Type.RENAME_FAILED, "destination already exists"));
            saveFinalCheckpoint();
            return finishFailed(destinationExists(), e, FailureKind.INPUT);
        } catch (IOException e) {
            backToPartial();
            return renameFailed(e);
        }
        return inPlace("downloaded " + obj.size() + " bytes to " + request.destination());
    }

    /** A temp file that did not go into place after all stays a partial download, as its checkpoint describes it. */
    private void backToPartial() {
        FileOrigin.forget(request.tempFile());
    }

    /**
     * A listing cannot say whether an ETag that looks like an MD5 is one (under KMS or a customer key it is not),
     * so a file that does not match it is checked against what a HEAD says: its checksums (a TOS object's CRC-64
     * among them), and its ETag only when the store vouches for it. The GET was conditional on the listed ETag, so a
     * HEAD with another ETag means the object was replaced since, and the mismatch stands.
     */
    private Verifier.Outcome verifyAgainstHead(ObjectInfo listed, Verifier.Outcome mismatch) throws IOException {
        ObjectInfo headed;
        try {
            headed = store.head(request.source(), cancel);
        } catch (StoreException e) {
            throw new IOException("cannot check the file against the object: " + e.getMessage(), e);
        }
        if (!Objects.equals(Etags.bare(headed.etag()), Etags.bare(listed.etag())) || headed.size() != listed.size()) {
            return mismatch;
        }
        info = headed;
        java.util.OptionalLong crc64 = Crc64.from(headed.checksums());
        if (crc64.isPresent()) {
            return crcOutcome(headed, crcMismatches(crc64.getAsLong()) == null);
        }
        return Verifier.verify(headed, channel);
    }

    private static Verifier.Outcome crcOutcome(ObjectInfo obj, boolean matches) {
        return new Verifier.Outcome(true, matches, "CRC-64 " + obj.checksums().get(Crc64.HEADER));
    }

    /**
     * Checks the file against the object's CRC-64. Parts that arrived in this run count with the CRC of the bytes
     * as they arrived; parts an earlier run fetched are read back from disk, and where that run recorded a CRC
     * that differs, the part changed on disk. Null when the file matches; else the parts to fetch again (empty
     * when nothing narrows a mismatch down).
     */
    private List<Part> crcMismatches(long expected) throws IOException {
        long whole = 0;
        List<Part> changed = new ArrayList<>();
        for (Part p : byOffset(parts)) {
            Long arrived = p.arrivedCrc();
            long crc;
            if (arrived != null) {
                crc = arrived;
            } else {
                crc = crcOnDisk(p);
                if (p.recordedCrc != null && p.recordedCrc != crc) {
                    changed.add(p);
                }
            }
            whole = Crc64.combine(whole, crc, p.length);
        }
        if (!changed.isEmpty()) {
            return changed;
        }
        if (whole == expected) {
            return null;
        }
        for (Part p : parts) {
            Long arrived = p.arrivedCrc();
            if (arrived != null && crcOnDisk(p) != arrived) {
                changed.add(p);
            }
        }
        return changed;
    }

    /**
     * The parts an earlier run finished whose bytes on disk no longer have the CRC-32C recorded when they arrived
     * (the temp file was altered between runs). Parts that arrived in this run are not read back.
     */
    private List<Part> partsChangedOnDisk() throws IOException {
        List<Part> changed = new ArrayList<>();
        for (Part p : byOffset(parts)) {
            if (p.recordedC32 == null || p.arrivedC32() != null) {
                continue;
            }
            CRC32C c = new CRC32C();
            try {
                readBack(p, c::update);
            } catch (EOFException cutShort) {
                changed.add(p);
                continue;
            }
            if (c.getValue() != p.recordedC32) {
                changed.add(p);
            }
        }
        return changed;
    }

    private long crcOnDisk(Part p) throws IOException {
        long[] crc = {0};
        readBack(p, buf -> crc[0] = Crc64.update(crc[0], buf));
        return crc[0];
    }

    /** Reads a part's bytes back from the temp file, handing them on a buffer at a time. */
    private void readBack(Part p, java.util.function.Consumer<ByteBuffer> sink) throws IOException {
        ByteBuffer buf = Buffers.take();
        try {
            long pos = p.start;
            long end = p.start + p.length;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = channel.read(buf, pos);
                if (n < 0) {
                    throw new EOFException("the temp file ends inside part " + p.number);
                }
                buf.flip();
                sink.accept(buf);
                pos += n;
            }
        } finally {
            Buffers.give(buf);
        }
    }

    /**
     * The parts that changed on disk since they arrived are fetched again, once; the rest of the file stays.
     * Then the whole file is checked again.
     */
    private DownloadResult fetchAgain(List<Part> bad) {
        return fetchAgain(bad, "the file's CRC-64 does not match the object's, and this part changed on disk after it "
                + "arrived; fetching it again");
    }

    private DownloadResult fetchAgain(List<Part> bad, String why) {
        refetched = true;
        for (Part p : bad) {
            p.restart();
            partEvent(Type.PART_FAILED, p, why);
        }
        saveCheckpointQuietly();
        return transferThenFinish();
    }

    private void saveFinalCheckpoint() {
        if (request.checkpoint() == null) {
            return;
        }
        try {
            synchronized (writeLock) {
                lastSaved = null;
            }
            if (channel != null && channel.isOpen()) {
                saveCheckpoint();
            } else {
                Part[] ps = parts;
                CheckpointFiles.write(request.checkpoint(), checkpointOf(ps, doneArray(ps)));
            }
            saveFailure = null;
        } catch (IOException | RuntimeException e) {
            reportSaveFailure(describe(e));
        }
    }

    private void moveIntoPlace() throws IOException {
        Path temp = request.tempFile();
        Path dest = request.destination();
        if (request.overwrite()) {
            try {
                Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        } else {
            // a plain move refuses an existing destination (on Windows the system itself does, with no gap), a
            // dangling link included
            Files.move(temp, dest);
        }
        CheckpointFiles.forceDirectory(dest.getParent());
    }

    private DownloadResult finishStopped() {
        if (stop.kind() == StopRequest.Kind.CANCEL) {
            // a temp file this run opened passed tempInTheWay; one it never opened is looked at now
            String inTheWay = channel != null ? null : tempInTheWay(request.tempFile(),
                    Files.exists(CheckpointLock.fileOf(request.tempFile())), checkpointNamesTemp(request));
            boolean ours = inTheWay == null && mayDeleteTemp();
            closeTemp();
            if (ours) {
                deleteQuietly(request.tempFile());
                deleteCheckpoint();
            }
            state = TransferState.CANCELLED;
            keptPartial = !ours;
            return result(TransferState.CANCELLED, ours ? "cancelled; partial data deleted"
                    : inTheWay != null ? "cancelled; nothing deleted: " + inTheWay
                    : "cancelled; the partial data belongs to another running download and was kept", null,
                    FailureKind.NONE);
        }
        boolean begun = channel != null;
        boolean kept = keepOrDropPartial();
        state = TransferState.PAUSED;
        String message = kept ? "paused; run again to resume from " + request.checkpoint() + (saveFailure == null
                        ? "" : " (its latest save failed: " + saveFailure + "; what came since is fetched again)")
                : !begun ? "paused before anything was written; run again to start"
                : request.checkpoint() == null ? "paused (no checkpoint: partial data deleted)"
                : "paused, but no checkpoint could be saved" + (saveFailure == null ? "" : " (" + saveFailure + ")")
                        + ": partial data deleted";
        return result(TransferState.PAUSED, message, null, FailureKind.NONE);
    }

    /** True when this Download may delete the temp file: it holds the lock, or nobody else works on it. */
    private boolean mayDeleteTemp() {
        if (tempLock != null) {
            return true;
        }
        try {
            // held until the run ends (closed with the run), so no other process starts on the file meanwhile
            tempLock = CheckpointLock.tryAcquire(request.tempFile());
        } catch (IOException unavailable) {
            return false;
        }
        return tempLock != null;
    }

    private DownloadResult finishAfterFailure(Throwable t) {
        if (t instanceof TempFileGoneException) {
            dropLeftovers(); // the bytes went with the file: nothing can resume, and nothing is left to keep
            return finishFailed(t.getMessage() + "; the download stopped", t, FailureKind.INPUT);
        }
        if (t instanceof StoreException se && se.isPreconditionFailed()) {
            return discardAndFail("the object changed during the download (its ETag no longer matches); "
                    + "the partial download was discarded, run again to fetch the new version");
        }
        if (t instanceof SourceChangedException) {
            return discardAndFail(t.getMessage() + "; the partial download was discarded, run again to fetch "
                    + "the new version");
        }
        if (stop.kind() == StopRequest.Kind.CANCEL) {
            return finishStopped();
        }
        if (t instanceof StoreException se && "NoSuchKey".equals(se.code())) {
            // the object is gone: nothing can resume this, and a new object under the key would start afresh
            return discardAndFail(se.getMessage() + "; the object no longer exists, so the partial download was "
                    + "discarded", FailureKind.INPUT);
        }
        boolean kept;
        if (t instanceof StoreException && channel != null && !tempExisted && nothingOnDisk()) {
            // the server refused from the first answer on, and this run made the temp file and wrote nothing into
            // it: there is nothing to resume, so nothing is left beside the destination
            dropLeftovers();
            kept = false;
        } else {
            kept = keepOrDropPartial();
        }
        FailureKind kind = t instanceof StoreException se ? kindOf(se)
                : t instanceof IOException io ? localKind(io) : FailureKind.TRANSIENT;
        String message = t instanceof StoreException ? t.getMessage() : describe(t);
        if (kind == FailureKind.DISK_FULL) {
            message = "no space left on device while writing " + request.tempFile();
        }
        if (kept) {
            message += "; the checkpoint is kept, run again to resume";
        }
        return finishFailed(message, t, kind);
    }

    /**
     * Keeps the partial data for a later run, with its checkpoint saved; true when it is kept. A transfer with no
     * checkpoint, or whose checkpoint could not be saved at all (none from an earlier save is there either), has no
     * use for its temp file, which is deleted.
     */
    private boolean keepOrDropPartial() {
        if (channel == null) {
            return request.checkpoint() != null && Files.exists(request.checkpoint());
        }
        if (request.checkpoint() != null) {
            saveFinalCheckpoint();
            if (Files.exists(request.checkpoint())) {
                return true;
            }
        }
        closeTemp();
        deleteQuietly(request.tempFile());
        return false;
    }

    private boolean nothingOnDisk() {
        Part[] ps = parts;
        return ps == null || Arrays.stream(ps).allMatch(p -> p.done.get() == 0);
    }

    private DownloadResult discardAndFail(String message) {
        return discardAndFail(message, FailureKind.SOURCE_CHANGED);
    }

    private DownloadResult discardAndFail(String message, FailureKind kind) {
        dropLeftovers();
        return finishFailed(message, null, kind);
    }

    /** Closes and deletes the temp file and deletes the checkpoint: nothing of the run is kept. */
    private void dropLeftovers() {
        closeTemp();
        deleteQuietly(request.tempFile());
        deleteCheckpoint();
    }

    private DownloadResult finishFailed(String message, Throwable t, FailureKind kind) {
        state = TransferState.FAILED;
        return result(TransferState.FAILED, message, t, kind);
    }

    private DownloadResult result(TransferState s, String message, Throwable t, FailureKind kind) {
        return new DownloadResult(s, request.destination(), info, fetched.get(), reused, message, t, kind,
                s == TransferState.CANCELLED && keptPartial);
    }

    private void deleteCheckpoint() {
        if (request.checkpoint() != null) {
            try {
                CheckpointFiles.delete(request.checkpoint());
            } catch (IOException | RuntimeException ignored) {
                // a checkpoint that cannot be deleted is found stale by the next run
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is reported by `ferry status`, never reused blindly
        }
    }

    private void closeTemp() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // closing cannot lose data that force() already made durable
        }
    }

    static FailureKind kindOf(StoreException e) {
        if (!e.isServerError()) {
            return e.isRetryable() ? FailureKind.TRANSIENT : FailureKind.INPUT;
        }
        int s = e.httpStatus();
        return s >= 400 && s < 500 && s != 408 && s != 429 ? FailureKind.INPUT : FailureKind.TRANSIENT;
    }

    private static FailureKind localKind(Throwable e) {
        return isDiskFull(e) ? FailureKind.DISK_FULL : FailureKind.TRANSIENT;
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left") || m.contains("not enough space")
                    || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failure in words: its message, or what kind of failure it is when it has none. A file-system failure the
     * platform gives no reason for (permission denied, no such file) says which it is beside its file's name.
     */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        if (e instanceof LocalWriteException && e.getCause() != null) {
            return describe(e.getCause());
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() == null && f.getFile() != null) {
            String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : e instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty"
                    : e.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private Notifier.Counters counters() {
        Part[] ps = parts;
        long done = 0;
        int partsDone = 0;
        for (Part p : ps) {
            long d = p.done.get();
            done += d;
            if (d >= p.length) {
                partsDone++;
            }
        }
        ObjectInfo obj = info;
        return new Notifier.Counters(state, obj == null ? -1 : obj.size(), done, fetched.get(), partsDone, ps.length);
    }

    /**
     * A part's live state: only its worker advances {@code done} and the CRC; others read them. {@code crc} is
     * the CRC-64 of the part's first {@code crcBytes} bytes as they arrived ({@code crcBytes} -1: not known,
     * e.g. for bytes an earlier run fetched).
     */
    private static final class Part {
        /** The length of a part that runs to the end of a stream of unknown length, until it ends. */
        static final long OPEN = Long.MAX_VALUE;

        final int number;
        final long start;
        /** Shrinks when another connection takes the part's back half; only under the part's lock. */
        volatile long length;
        /** Bytes from the start the owner has read or is reading (its current quantum); under the part's lock. */
        long reserved;
        volatile long activeSince;
        volatile long doneWhenActivated;
        final AtomicLong done;
        volatile boolean active;
        /** Made by a takeover from a slow connection: it may be halved, never taken over again. */
        volatile boolean fromTakeover;
        /** When its owner last compared its pace with the others' ({@link #checkPace}); owner's thread only. */
        long paceCheckedAt;
        volatile long crc;
        volatile long crcBytes;
        /** The CRC-64 an earlier run recorded for this finished part, or null. */
        Long recordedCrc;
        /**
         * The CRC-32C of the part's first {@code c32Bytes} bytes as they arrived (-1: not known), for objects without
         * a CRC-64.
         */
        final CRC32C c32 = new CRC32C();
        volatile long c32Bytes;
        /** The CRC-32C an earlier run recorded for this finished part, or null. */
        Long recordedC32;

        Part(int number, long start, long length, long done) {
            this.number = number;
            this.start = start;
            this.length = length;
            this.done = new AtomicLong(done);
            this.crcBytes = done == 0 ? 0 : -1;
            this.c32Bytes = done == 0 ? 0 : -1;
        }

        boolean isDone() {
            return done.get() >= length;
        }

        boolean isOpen() {
            return length == OPEN;
        }

        /** Bytes of the part no connection has read or started to read. */
        synchronized long unreserved() {
            return isOpen() ? 0 : length - Math.max(reserved, done.get());
        }

        /** Its connection starts (or starts again) on it: the pace is measured from here. */
        void activate() {
            active = true;
            activeSince = System.nanoTime();
            doneWhenActivated = done.get();
        }

        /**
         * Nanoseconds its connection needs for {@code bytes} more at the pace it has kept since it started on the
         * part; 0 while it is too early to tell, or when the part is not in flight.
         */
        long nanosToFinish(long bytes, long now) {
            double pace = pace(now);
            if (pace < 0) {
                return 0;
            }
            return pace == 0 ? Long.MAX_VALUE : (long) (bytes / pace); // nothing in all that time: as slow as can be
        }

        /** Bytes per nanosecond its connection has kept since it started on the part; -1 while too early to tell. */
        double pace(long now) {
            long elapsed = now - activeSince;
            if (!active || elapsed < PACE_AFTER_NANOS) {
                return -1;
            }
            return (double) (done.get() - doneWhenActivated) / elapsed;
        }

        /**
         * The pace its connection kept over the part it just finished; -1 when that moved under
         * {@link #MIN_SPLIT_BYTES} or took under {@link #FINISHED_PACE_AFTER_NANOS}, where bytes that were already
         * waiting in buffers would pass for a burst of speed. (A part a takeover made is never taken over again, so
         * a pace taken too high costs one takeover at most.)
         */
        double finishedPace(long now) {
            long elapsed = now - activeSince;
            long moved = done.get() - doneWhenActivated;
            return moved < MIN_SPLIT_BYTES || elapsed < FINISHED_PACE_AFTER_NANOS ? -1 : (double) moved / elapsed;
        }

        /** The stream ended: the part is as long as what arrived. */
        void close() {
            length = done.get();
        }

        /** The CRC-64 of the whole part as it arrived, or null when it is not known. */
        Long arrivedCrc() {
            return crcBytes == length ? crc : null;
        }

        void restart() {
            done.set(0);
            reserved = 0;
            c32.reset();
            c32Bytes = 0;
            recordedC32 = null;
            crc = 0;
            crcBytes = 0;
            recordedCrc = null;
        }

        /** The CRC-32C of the whole part as it arrived in this run, or null. */
        Long arrivedC32() {
            return c32Bytes == length ? c32.getValue() : null;
        }

        /** What the checkpoint records as the finished part's CRC-32C: as it arrived, now or in an earlier run. */
        Long c32ToRecord() {
            Long arrived = arrivedC32();
            return arrived != null ? arrived : recordedC32;
        }

        /** What the checkpoint records for the finished part: its CRC as it arrived, now or in an earlier run. */
        Long crcToRecord() {
            Long arrived = arrivedCrc();
            return arrived != null ? arrived : recordedCrc;
        }
    }
}
