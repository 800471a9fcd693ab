package dev.ferry.transfer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import dev.ferry.storage.CancelSignal;
import dev.ferry.storage.CopyStore;
import dev.ferry.storage.Crc64;
import dev.ferry.storage.CopyStore.UploadedPart;
import dev.ferry.storage.Etags;
import dev.ferry.storage.ObjectInfo;
import dev.ferry.storage.ObjectRef;
import dev.ferry.storage.ServerThrottling;
import dev.ferry.storage.StoreException;
import dev.ferry.transfer.checkpoint.CheckpointFiles;
import dev.ferry.transfer.checkpoint.CheckpointLock;
import dev.ferry.transfer.checkpoint.CopyCheckpoint;
import dev.ferry.transfer.checkpoint.ObjectIdentity;
import dev.ferry.transfer.checkpoint.SourceRecord;
import dev.ferry.transfer.event.Notifier;
import dev.ferry.transfer.event.Progress;
import dev.ferry.transfer.event.TransferEvent;
import dev.ferry.transfer.event.TransferEvent.Type;
import dev.ferry.transfer.event.TransferListener;

/**
 * Copies one object server-side: a single CopyObject when it fits in one part, else a multipart upload
 * whose parts are copied in parallel with UploadPartCopy, each guarded by the source's ETag, then
 * completed. The upload id is checkpointed before any part is copied and every finished part's ETag
 * right after it finishes, so a run of the same copy continues where the last one stopped.
 *
 * <p>Pause keeps the upload and the checkpoint; cancel aborts the upload and deletes the checkpoint.
 * A checkpoint is written before the upload is created too, saying when its creation began: a process killed
 * before it heard the new upload's id leaves an upload no checkpoint names, which the next run or a cancel
 * finds by key and time and aborts (see {@link UnrecordedUploads}). A run that finds the destination already
 * holding the completed copy (killed after Complete, before the checkpoint was deleted) copies nothing again.
 * While a copy runs, its checkpoint is locked ({@link CheckpointLock}): a second run of the same copy refuses.
 * Without a checkpoint a stopped copy aborts its upload, since nothing could resume it. Bytes never pass
 * through this machine, so no client-side rate limit applies. {@link #pause()} and {@link #cancel()} may be
 * called from any thread and never block; the listener contract is {@link TransferListener}'s.
 */
public final class Copy implements Transfer {
    private static final AtomicInteger IDS = new AtomicInteger();
    /**
     * How often part ETags are saved while parts are copied. Each save forces the file system's journal
     * (which on a machine that also hosts the server flushes the server's writes too); ListParts finds
     * the parts a crash keeps out of the checkpoint, so recording them often buys little.
     */
    static final long SAVE_INTERVAL_MILLIS = 2000;

    private final CopyStore store;
    private final CopyRequest request;
    private final StopRequest stop = new StopRequest();
    private final CancelSignal cancel = stop.signal();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong copied = new AtomicLong();
    private final AtomicInteger partsCopied = new AtomicInteger();
    private final Notifier notifier;
    private final Object saveLock = new Object();

    private volatile TransferState state = TransferState.QUEUED;
    private volatile ObjectInfo info;
    private volatile List<PartPlan.Range> plan = List.of();
    private volatile AtomicReferenceArray<String> etags = new AtomicReferenceArray<>(0);
    private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
    private volatile String uploadId;
    /** Uploads of the destination started from then on may be this copy's and unrecorded; null when none can be. */
    private volatile Instant unrecordedSince;
    private CheckpointLock lock;
    private CoalescingSaver saver;
    private long reused;
    /** The part count of the upload of this copy's checkpoint that was gone with parts unrecorded; 0 when none. */
    private int earlierParts;
    /** The destination turned out to be the copy already, so this run wrote nothing. */
    private boolean foundDone;

    public Copy(CopyStore store, CopyRequest request, TransferListener listener) {
        // where the server can throttle a copy (TOS), the copy's own limit goes to it with every part copy
        this.store = ServerThrottling.apply(Objects.requireNonNull(store), request.rateLimit(), request.connections());
        this.request = Objects.requireNonNull(request);
        this.notifier = new Notifier(IDS.incrementAndGet() + "-copy-" + request.source().fileName(), listener,
                this::counters);
    }

    public CopyRequest request() {
        return request;
    }

    @Override
    public TransferState state() {
        return state;
    }

    @Override
    public Progress progress() {
        return notifier.latest();
    }

    @Override
    public List<PartView> parts() {
        List<PartPlan.Range> ranges = plan;
        AtomicReferenceArray<String> done = etags;
        List<PartView> out = new ArrayList<>(ranges.size());
        for (PartPlan.Range r : ranges) {
            boolean copiedAlready = r.number() <= done.length() && done.get(r.number() - 1) != null;
            out.add(new PartView(r.number(), r.start(), r.length(), copiedAlready ? r.length() : 0,
                    inFlight.contains(r.number())));
        }
        return out;
    }

    /** Stops promptly, keeping the upload and checkpoint for a later run. */
    @Override
    public void pause() {
        stop.pause();
    }

    /** Stops promptly, aborts the upload and deletes the checkpoint. */
    @Override
    public void cancel() {
        stop.cancel();
    }

    /**
     * Aborts the upload a stopped copy recorded, and any it started without recording, and deletes its
     * checkpoint, as {@code --cancel} does. Returns false when there was nothing to discard. Refuses with an
     * {@link IOException} while a copy in this or another process runs on the checkpoint.
     */
    public static boolean discard(CopyStore store, CopyRequest request) throws IOException {
        if (request.checkpoint() == null) {
            return false;
        }
        String leftAlone = CheckpointFiles.leftAlone(request.checkpoint(), CopyCheckpoint.KIND, CopyCheckpoint.class,
                cp -> cp.problem() != null || copiesTo(cp, request.destination()));
        if (leftAlone != null) {
            throw new IOException(leftAlone);
        }
        try (CheckpointLock held = CheckpointLock.tryAcquire(request.checkpoint())) {
            if (held == null) {
                throw busy(request.checkpoint());
            }
            CopyCheckpoint cp;
            try {
                cp = CheckpointFiles.read(request.checkpoint(), CopyCheckpoint.class);
            } catch (IOException | RuntimeException unreadable) {
                cp = null;
                String salvaged = uploadIdInDamaged(request.checkpoint(), request.destination());
                if (salvaged != null) {
                    store.abortMultipartUpload(request.destination(), salvaged, new CancelSignal());
                }
            }
            if (cp != null && cp.destinationBucket() != null && cp.destinationKey() != null) {
                ObjectRef dest = new ObjectRef(cp.destinationBucket(), cp.destinationKey(), null);
                if (cp.uploadId() != null) {
                    store.abortMultipartUpload(dest, cp.uploadId(), new CancelSignal());
                }
                Instant since = unrecordedSinceOf(cp);
                if (since != null) {
                    UnrecordedUploads.sweep(store, dest, since, cp.uploadId(), new CancelSignal());
                }
            }
            return forget(request.checkpoint());
        }
    }

    private static IOException busy(Path checkpoint) {
        return new IOException("another Ferry is running this copy right now (its checkpoint " + checkpoint
                + " is locked); let it finish, or pause or cancel it there");
    }

    /** The checkpoint's time of unrecorded uploads, or null when it has none or it cannot be read. */
    private static Instant unrecordedSinceOf(CopyCheckpoint cp) {
        try {
            return cp.unrecordedSince();
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Runs the copy to its end (completed, paused, cancelled or failed). */
    public CopyResult run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Copy runs once; create a new one to resume");
        }
        notifier.start();
        notifier.emit(TransferEvent.of(Type.STARTED, request.source() + " -> " + request.destination()));
        CopyResult result;
        try {
            result = execute();
        } catch (RuntimeException e) {
            result = failed("internal error: " + e, e, FailureKind.TRANSIENT);
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
        notifier.emit(TransferEvent.of(switch (result.state()) {
            case COMPLETED -> Type.SUCCEEDED;
            case PAUSED -> Type.PAUSED;
            case CANCELLED -> Type.CANCELLED;
            default -> Type.FAILED;
        }, result.message()));
        notifier.finish(10_000);
        return result;
    }

    // ------------------------------------------------------------------ phases

    private CopyResult execute() {
        state = TransferState.CONNECTING;
        if (request.isOntoItself()) {
            return failed("cannot copy " + request.source() + " onto itself", null, FailureKind.INPUT);
        }
        CopyResult notLocked = lockCheckpoint();
        if (notLocked != null) {
            return notLocked;
        }
        if (stop.kind() != StopRequest.Kind.NONE) {
            return stopped();
        }
        try {
            info = store.head(request.source(), cancel);
        } catch (InterruptedIOException e) {
            return stopped();
        } catch (StoreException e) {
            return failed("source " + request.source() + ": " + e.getMessage(), e, Download.kindOf(e));
        }
        String leftAlone = CheckpointFiles.leftAlone(request.checkpoint(), CopyCheckpoint.KIND, CopyCheckpoint.class,
                cp -> cp.problem() != null || belongsHere(cp));
        if (leftAlone != null) {
            return failed(leftAlone, null, FailureKind.INPUT);
        }
        if (info.size() <= PartPlan.effectivePartSize(info.size(), request.partSize())) {
            return copyWhole();
        }
        return copyInParts(PartPlan.balancedPartSize(info.size(), request.partSize(), request.connections()), false);
    }

    /** Locks the checkpoint for this run; the result to end with when that fails, else null. */
    private CopyResult lockCheckpoint() {
        if (request.checkpoint() == null) {
            return null;
        }
        try {
            lock = CheckpointLock.tryAcquire(request.checkpoint());
        } catch (IOException e) {
            return failed("cannot lock the checkpoint " + request.checkpoint() + ": " + e.getMessage(), e,
                    FailureKind.TRANSIENT);
        }
        return lock != null ? null : failed(busy(request.checkpoint()).getMessage(), null, FailureKind.BUSY);
    }

    private CopyResult copyWhole() {
        try {
            dropMultipartLeftovers();
            CopyResult ended = beforeWriting(false, null);
            if (ended != null) {
                return ended;
            }
        } catch (InterruptedIOException e) {
            return stopped();
        }
        state = TransferState.TRANSFERRING;
        usePlan(PartPlan.split(Math.max(1, info.size()), Math.max(1, info.size())));
        try {
            String etag = store.copyObject(request.source(), request.destination(), info.etag(), cancel);
            etags.set(0, etag);
            copied.set(info.size());
            partsCopied.set(1);
            notifier.emit(TransferEvent.part(Type.PART_SUCCEEDED, 1, 0, info.size() - 1, "ETag " + etag));
            return completed(etag);
        } catch (InterruptedIOException e) {
            return stopped();
        } catch (StoreException e) {
            return failed(e.getMessage(), e, Download.kindOf(e));
        }
    }

    /**
     * A source copied in one request (it shrank, or the part size grew) has no use for a multipart checkpoint an
     * earlier run left: it is dropped, and its upload and any it left unrecorded are aborted.
     */
    private void dropMultipartLeftovers() throws InterruptedIOException {
        if (request.checkpoint() == null || !Files.exists(request.checkpoint())) {
            return;
        }
        try {
            CopyCheckpoint cp = loadUsableCheckpoint();
            if (cp != null) {
                discardCheckpoint("the source is copied in one request now, so the multipart upload of the last "
                        + "run is not needed", cp.uploadId());
            }
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            notifier.emit(TransferEvent.of(Type.CHECKPOINT_FAILED, "cannot delete " + request.checkpoint() + ": "
                    + e.getMessage()));
        }
        if (unrecordedSince != null) {
            sweepUnrecorded(null, cancel);
        }
    }

    /**
     * Looks at the destination before a copy writes anything (it is not resuming an upload it started, and no
     * upload of it may have completed there) and again before it completes its upload of {@code parts}
     * ({@code atComplete}; null before): null to go ahead, else how the copy ends. Unless the request replaces what
     * is there, an object at the destination ends it: as done when it already holds the source's bytes
     * ({@link #sameBytes}), else refused ({@link FailureKind#DESTINATION_EXISTS}). A destination the keys may not
     * look at (403) is refused the same way: nothing says the copy would not replace an object.
     */
    private CopyResult beforeWriting(boolean atComplete, List<UploadedPart> parts) throws InterruptedIOException {
        if (request.replace()) {
            return null;
        }
        ObjectInfo there;
        try {
            there = store.head(request.destination(), cancel);
        } catch (StoreException e) {
            if (e.isNotFound()) {
                return null;
            }
            if (e.httpStatus() == 403) {
                return refused("cannot tell whether an object is already at " + request.destination()
                        + ", which the copy would replace: " + e.getMessage(), atComplete);
            }
            // no answer: at the end an ordinary failure, which keeps the upload where a checkpoint can resume it
            return atComplete ? afterFailure(e) : failed("cannot tell whether an object is already at "
                    + request.destination() + ": " + e.getMessage(), e, Download.kindOf(e));
        }
        String proof = sameBytes(there, parts);
        if (proof != null) {
            if (atComplete) {
                abandonUpload("the destination already is the copy");
            }
            if (unrecordedSince == null) {
                deleteCheckpoint();
            } else {
                saveCheckpointQuietly(); // the time of uploads not yet found, for a run to look for them again
            }
            notifier.emit(TransferEvent.of(Type.VERIFIED, request.destination() + " already is the copy (" + proof
                    + "); nothing to copy"));
            reused = info.size();
            foundDone = true;
            return completed(there.etag());
        }
        return refused("an object is already at " + request.destination() + " (" + there.size() + " bytes"
                + (there.lastModified() == null ? "" : ", modified " + there.lastModified()) + ")"
                + (mayBeOurs(there) ? ", probably the result of a run of this copy that completed its upload but was "
                + "stopped before it could record that (the source's size, an ETag of " + earlierParts + " parts)"
                : "") + "; nothing was copied over it", atComplete);
    }

    /**
     * How {@code there} proves to hold the source's bytes, or null when nothing does: the source's size and, where
     * both report one, the same CRC-64 (which then decides alone); else the ETag {@code parts} make (when given, and
     * their ETags are MD5s: a run that completed this upload and was stopped before it could say so), or the
     * source's own ETag.
     */
    private String sameBytes(ObjectInfo there, List<UploadedPart> parts) {
        if (there.size() != info.size()) {
            return null;
        }
        OptionalLong crc = Crc64.from(there.checksums());
        OptionalLong sourceCrc = Crc64.from(info.checksums());
        if (crc.isPresent() && sourceCrc.isPresent()) {
            return crc.getAsLong() == sourceCrc.getAsLong() ? "the source's size and CRC-64" : null;
        }
        String etag = Etags.bare(there.etag());
        if (etag == null || etag.isEmpty()) {
            return null;
        }
        if (parts != null && etag.equals(MultipartEtag.of(parts))) {
            return "the source's size and the ETag its parts make";
        }
        return etag.equals(Etags.bare(info.etag())) ? "the source's size and ETag" : null;
    }

    /**
     * An object of the source's size whose ETag counts as many parts as the upload of this copy's checkpoint, which
     * is gone and had not recorded every part: likely that upload's own Complete. Not proof, so only said.
     */
    private boolean mayBeOurs(ObjectInfo there) {
        String etag = Etags.bare(there.etag());
        return earlierParts > 0 && there.size() == info.size() && etag != null && etag.endsWith("-" + earlierParts);
    }

    /**
     * A copy refused for its destination. Refused before its Complete it keeps its parts and checkpoint, so a run
     * that may replace the object only completes the upload; without a checkpoint nothing could, and the upload
     * is aborted. A cancel that came meanwhile wins.
     */
    private CopyResult refused(String why, boolean atComplete) {
        if (!atComplete) {
            return failed(why, null, FailureKind.DESTINATION_EXISTS);
        }
        if (stop.kind() == StopRequest.Kind.CANCEL) {
            return stopped();
        }
        if (request.checkpoint() == null) {
            abandonUpload("it would replace an object it was not asked to replace");
            return failed(why + "; its upload was aborted (there is no checkpoint to finish it from)", null,
                    FailureKind.DESTINATION_EXISTS);
        }
        saveCheckpointQuietly();
        return failed(why + "; the copied parts and the checkpoint are kept, so a run that may replace it only "
                + "completes the upload", null, FailureKind.DESTINATION_EXISTS);
    }

    /** Multipart: resume the recorded upload when it still fits, else start one; copy what is missing; complete. */
    private CopyResult copyInParts(long partSize, boolean restarted) {
        try {
            CopyCheckpoint cp = loadUsableCheckpoint();
            if (unrecordedSince != null) {
                sweepUnrecorded(cp == null ? null : cp.uploadId(), cancel);
            }
            Resume resume = cp == null ? Resume.NONE : cp.isPending() ? restartPending() : resumeUpload(cp);
            if (resume == Resume.FINISHED) {
                deleteCheckpoint();
                return completed(null);
            }
            if (resume == Resume.NONE) {
                CopyResult ended = beforeWriting(false, null);
                if (ended != null) {
                    return ended;
                }
                startUpload(partSize);
            }
        } catch (InterruptedIOException e) {
            return stopped();
        } catch (StoreException e) {
            return failed("destination " + request.destination() + ": " + e.getMessage(), e, Download.kindOf(e));
        } catch (IOException e) {
            return failed("cannot write the checkpoint " + request.checkpoint() + ": " + e.getMessage(), e,
                    FailureKind.TRANSIENT);
        }
        state = TransferState.TRANSFERRING;
        copyParts();
        if (stop.kind() != StopRequest.Kind.NONE && failure.get() == null) {
            return stopped();
        }
        Throwable t = failure.get();
        if (t != null) {
            return afterFailure(t);
        }
        return complete(partSize, restarted);
    }

    /** What a checkpoint came to: nothing to resume, an upload resumed, or a copy found already finished. */
    private enum Resume { NONE, RESUMED, FINISHED }

    /** A checkpoint written before its upload was created: nothing was copied, so the copy starts afresh. */
    private Resume restartPending() {
        notifier.emit(TransferEvent.of(Type.CHECKPOINT_DISCARDED, "the last run stopped before it recorded its "
                + "multipart upload, so no part was copied; starting over"));
        return Resume.NONE;
    }

    private Resume resumeUpload(CopyCheckpoint cp) throws IOException {
        Map<Integer, UploadedPart> onServer = new HashMap<>();
        try {
            for (UploadedPart p : store.listParts(request.destination(), cp.uploadId(), cancel)) {
                onServer.put(p.number(), p);
            }
        } catch (StoreException e) {
            if (e.isNotFound() || "NoSuchUpload".equals(e.code())) {
                return afterUploadGone(cp, "the multipart upload " + cp.uploadId() + " no longer exists", null);
            }
            throw e;
        }
        if (onServer.isEmpty() && cp.completedBytes() > 0) {
            // parts never leave a live upload; some servers (s3proxy) list a finished or unknown upload as empty
            return afterUploadGone(cp, "the multipart upload " + cp.uploadId() + " lists none of its recorded "
                    + "parts", cp.uploadId());
        }
        planFrom(cp);
        for (CopyCheckpoint.Part p : cp.parts()) {
            UploadedPart server = onServer.get(p.number());
            // a part the server holds at the right size counts, even if the checkpoint missed its ETag
            if (server != null && server.size() == p.length()
                    && (p.etag() == null || Etags.bare(p.etag()).equals(Etags.bare(server.etag())))) {
                etags.set(p.number() - 1, server.etag());
            }
        }
        uploadId = cp.uploadId();
        long done = doneBytes();
        reused = done;
        notifier.emit(TransferEvent.of(Type.RESUMED, "resuming upload " + uploadId + ": " + doneParts() + " of "
                + plan.size() + " parts copied, " + (info.size() - done) + " of " + info.size() + " bytes left"));
        saveCheckpoint();
        return Resume.RESUMED;
    }

    /** The checkpoint's parts become the plan, with no part known to be copied yet. */
    private void planFrom(CopyCheckpoint cp) {
        usePlan(cp.parts().stream().map(p -> new PartPlan.Range(p.number(), p.start(), p.length())).toList());
    }

    /**
     * Makes {@code ranges} the plan, with no part known to be copied. The ETag slots come first: the notifier
     * reads the plan from another thread and looks each part up in them.
     */
    private void usePlan(List<PartPlan.Range> ranges) {
        etags = new AtomicReferenceArray<>(ranges.size());
        plan = ranges;
    }

    /**
     * The checkpoint's upload is gone: completed by a run killed before it could delete the checkpoint (then the
     * destination already is the copy), or aborted elsewhere (then the copy starts over).
     */
    private Resume afterUploadGone(CopyCheckpoint cp, String why, String abortUpload) throws IOException {
        String proof = destinationIsTheCopy(cp);
        if (proof != null) {
            reused = info.size();
            planFrom(cp);
            for (CopyCheckpoint.Part p : cp.parts()) {
                etags.set(p.number() - 1, p.etag() != null ? p.etag() : "");
            }
            notifier.emit(TransferEvent.of(Type.VERIFIED, why + ", and " + request.destination()
                    + " already is the completed copy (" + proof + "); nothing to copy again"));
            foundDone = true;
            return Resume.FINISHED;
        }
        earlierParts = cp.allPartsRecorded() ? 0 : cp.parts().size();
        discardCheckpoint(why, abortUpload);
        return Resume.NONE;
    }

    /**
     * How the destination proves to be the finished copy of this source version ({@link #sameBytes}, with the
     * parts the checkpoint recorded, or the record of every part beside it), or null when it does not.
     */
    private String destinationIsTheCopy(CopyCheckpoint cp) throws InterruptedIOException {
        ObjectInfo dest;
        try {
            dest = store.head(request.destination(), cancel);
        } catch (StoreException e) {
            return null;
        }
        CopyCheckpoint all = cp.allPartsRecorded() ? cp : everyPartOf(cp);
        return sameBytes(dest, all == null ? null : all.parts().stream()
                .map(p -> new UploadedPart(p.number(), p.etag(), p.length())).toList());
    }

    private CopyCheckpoint loadUsableCheckpoint() throws IOException {
        Path file = request.checkpoint();
        if (file == null) {
            return null;
        }
        CopyCheckpoint cp;
        try {
            cp = CheckpointFiles.read(file, CopyCheckpoint.class);
        } catch (IOException | RuntimeException e) {
            String salvaged = uploadIdInDamaged(file, request.destination());
            discardCheckpoint("the checkpoint " + file + " is unreadable or corrupt (" + Download.damage(e) + ")"
                    + (salvaged != null ? ""
                    : " and names no upload this copy could abort; one it recorded is left to the bucket's "
                    + "lifecycle rules"), salvaged);
            return null;
        }
        if (cp == null) {
            return null;
        }
        boolean sameDestination = copiesTo(cp, request.destination());
        if (sameDestination) {
            noteUnrecorded(unrecordedSinceOf(cp));
        }
        String problem = cp.problem();
        if (problem != null) {
            // a checkpoint of this destination that cannot be resumed still says which upload to abort
            discardCheckpoint("the checkpoint " + file + " cannot be used: " + problem,
                    sameDestination ? cp.uploadId() : null);
            return null;
        }
        if (!belongsHere(cp)) {
            discardCheckpoint("the checkpoint " + file + " belongs to a different copy", null);
            return null;
        }
        String changed = Download.identityChange(cp.object(), info);
        if (changed != null) {
            discardCheckpoint("the source changed since the checkpoint (" + changed + ")", cp.uploadId());
            return null;
        }
        return cp;
    }

    /** Whether {@code cp} is this copy's: the same source, into the same destination. */
    private boolean belongsHere(CopyCheckpoint cp) {
        return copiesTo(cp, request.destination()) && cp.source().equals(sourceRecord());
    }

    private static boolean copiesTo(CopyCheckpoint cp, ObjectRef dest) {
        return dest.bucket().equals(cp.destinationBucket()) && dest.key().equals(cp.destinationKey());
    }

    /** The upload id a damaged checkpoint still shows for {@code dest}, or null. */
    private static String uploadIdInDamaged(Path file, ObjectRef dest) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            return CopyCheckpoint.uploadIdIn(text, dest.bucket(), dest.key());
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Says why the checkpoint is dropped, aborts its upload if it names one, deletes it. Returns false. */
    private boolean discardCheckpoint(String why, String abortUpload) throws IOException {
        notifier.emit(TransferEvent.of(Type.CHECKPOINT_DISCARDED, why + "; starting over"));
        if (abortUpload != null) {
            abortQuietly(abortUpload, "its checkpoint was discarded");
        }
        forget(request.checkpoint());
        return false;
    }

    /** Keeps the earliest time from which unrecorded uploads may exist. */
    private void noteUnrecorded(Instant since) {
        if (since != null && (unrecordedSince == null || since.isBefore(unrecordedSince))) {
            unrecordedSince = since;
        }
    }

    /**
     * Looks for uploads this copy started without recording them, and aborts them. Where that fails, the time is
     * kept (and goes into the next checkpoint) so a later run looks again; false then.
     */
    private boolean sweepUnrecorded(String recorded, CancelSignal signal) throws InterruptedIOException {
        Instant since = unrecordedSince;
        try {
            UnrecordedUploads.Sweep sweep = UnrecordedUploads.sweep(store, request.destination(), since, recorded,
                    signal);
            for (String id : sweep.aborted()) {
                notifier.emit(TransferEvent.of(Type.UPLOAD_ABORTED, id + ": started for " + request.destination()
                        + " by a run stopped before it recorded the upload"));
            }
            for (String id : sweep.spared()) {
                notifier.emit(TransferEvent.of(Type.UPLOAD_ABORTED, "left " + id + " alone: it was started after "
                        + since + " but has parts, which this copy's unrecorded uploads never have"));
            }
        } catch (StoreException e) {
            if (!"NoSuchBucket".equals(e.code())) {
                notifier.emit(TransferEvent.of(Type.UPLOAD_ABORTED, "could not look for uploads an earlier run "
                        + "may have left unrecorded (" + e.getMessage() + "); a later run looks again"));
                return false;
            }
        }
        unrecordedSince = null;
        return true;
    }

    private void startUpload(long partSize) throws IOException {
        usePlan(PartPlan.split(info.size(), partSize));
        uploadId = null;
        Instant carried = unrecordedSince;
        noteUnrecorded(Instant.now());
        // recorded before the upload is created: a crash before its id is heard leaves a time to find it by
        saveCheckpoint();
        try {
            uploadId = store.createMultipartUpload(request.destination(), info.metadata(), cancel);
        } catch (StoreException e) {
            afterFailedCreate();
            throw e;
        }
        unrecordedSince = carried;
        // recorded before any part is copied: a crash from here on leaves no upload unaccounted for
        try {
            saveCheckpoint();
        } catch (IOException e) {
            abortQuietly(uploadId, "its checkpoint could not be written");
            uploadId = null;
            throw e;
        }
        notifier.emit(TransferEvent.of(Type.UPLOAD_CREATED, uploadId));
    }

    /**
     * CreateMultipartUpload failed, yet the server may have created an upload (an answer lost, then a retry
     * refused). It is looked for now; the checkpoint, which records nothing else, is kept only when that look
     * failed, so that the next run or a cancel looks again.
     */
    private void afterFailedCreate() {
        boolean swept;
        try {
            swept = sweepUnrecorded(null, new CancelSignal());
        } catch (InterruptedIOException stopped) {
            swept = false;
        }
        if (swept) {
            deleteCheckpoint();
        }
    }

    // ------------------------------------------------------------------ parts

    private void copyParts() {
        ConcurrentLinkedQueue<PartPlan.Range> pending = new ConcurrentLinkedQueue<>();
        for (PartPlan.Range r : plan) {
            if (etags.get(r.number() - 1) == null) {
                pending.add(r);
            }
        }
        int workers = Math.min(request.connections(), pending.size());
        // part ETags are recorded off the workers' path and at most every SAVE_INTERVAL_MILLIS: a copy never
        // waits for the disk, and a part the checkpoint misses after a crash is found again by ListParts
        saver = new CoalescingSaver("ferry-copy-checkpoint", SAVE_INTERVAL_MILLIS, this::saveCheckpointQuietly);
        saver.start();
        Workers.runAll(workers, "ferry-copy", () -> {
            PartPlan.Range r;
            while (failure.get() == null && !cancel.isCancelled() && (r = pending.poll()) != null) {
                inFlight.add(r.number());
                try {
                    copyPart(r);
                } finally {
                    inFlight.remove(r.number());
                }
            }
        }, this::fail);
        if (failure.get() == null && stop.kind() == StopRequest.Kind.NONE) {
            // Complete comes next and the checkpoint is deleted after it. Every part is recorded first, so a run
            // killed after the Complete leaves what proves the destination is its result (the ETag its parts
            // make); not forced to the disk, which would make a server on this machine flush every part first
            saver.stopWithoutFlush();
            recordEveryPart();
        } else {
            saver.stopAndFlush();
        }
    }

    /**
     * Records every part's ETag in a file beside the checkpoint ({@link #allPartsFile}), not forced to the disk:
     * forcing would make a server on this machine flush every part first, and the checkpoint itself, forced, stays
     * as it was, so a machine that loses power loses only this record, never the upload id.
     */
    private void recordEveryPart() {
        if (request.checkpoint() == null) {
            return;
        }
        try {
            CheckpointFiles.writeUnforced(allPartsFile(request.checkpoint()), checkpointNow());
        } catch (IOException | RuntimeException e) {
            notifier.emit(TransferEvent.of(Type.CHECKPOINT_FAILED, e.getMessage()));
        }
    }

    /** Where a copy records every part's ETag just before its Complete. */
    private static Path allPartsFile(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".all-parts");
    }

    /** The record of every part of {@code cp}'s upload, when there is one to read; else null. */
    private CopyCheckpoint everyPartOf(CopyCheckpoint cp) {
        try {
            CopyCheckpoint all = CheckpointFiles.read(allPartsFile(request.checkpoint()), CopyCheckpoint.class);
            return all != null && cp.uploadId() != null && cp.uploadId().equals(all.uploadId())
                    && all.parts().size() == cp.parts().size() && all.allPartsRecorded() ? all : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Deletes a checkpoint and the record of every part beside it; true when the checkpoint existed. */
    private static boolean forget(Path checkpoint) throws IOException {
        Files.deleteIfExists(allPartsFile(checkpoint));
        return CheckpointFiles.delete(checkpoint);
    }

    private void copyPart(PartPlan.Range r) {
        try {
            String etag = store.uploadPartCopy(request.destination(), uploadId, r.number(), request.source(),
                    r.start(), r.endInclusive(), info.etag(), cancel);
            etags.set(r.number() - 1, etag);
            copied.addAndGet(r.length());
            partsCopied.incrementAndGet();
            saver.request();
            notifier.emit(TransferEvent.part(Type.PART_SUCCEEDED, r.number(), r.start(), r.endInclusive(),
                    "ETag " + etag));
        } catch (InterruptedIOException e) {
            notifier.emit(TransferEvent.part(Type.PART_ABORTED, r.number(), r.start(), r.endInclusive(),
                    stop.reason()));
        } catch (StoreException e) {
            if (cancel.isCancelled() && failure.get() == null && stop.kind() != StopRequest.Kind.NONE) {
                notifier.emit(TransferEvent.part(Type.PART_ABORTED, r.number(), r.start(), r.endInclusive(),
                        stop.reason()));
                return;
            }
            notifier.emit(TransferEvent.part(Type.PART_FAILED, r.number(), r.start(), r.endInclusive(),
                    e.getMessage()));
            fail(e);
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        cancel.cancel();
    }

    // ------------------------------------------------------------------ checkpoint

    private void saveCheckpointQuietly() {
        try {
            saveCheckpoint();
        } catch (IOException | RuntimeException e) {
            notifier.emit(TransferEvent.of(Type.CHECKPOINT_FAILED, e.getMessage()));
        }
    }

    private void saveCheckpoint() throws IOException {
        if (request.checkpoint() == null) {
            return;
        }
        synchronized (saveLock) {
            CheckpointFiles.write(request.checkpoint(), checkpointNow());
        }
    }

    private CopyCheckpoint checkpointNow() {
        List<CopyCheckpoint.Part> parts = new ArrayList<>(plan.size());
        for (PartPlan.Range r : plan) {
            parts.add(new CopyCheckpoint.Part(r.number(), r.start(), r.length(), etags.get(r.number() - 1)));
        }
        ObjectInfo obj = info;
        Instant since = unrecordedSince;
        return new CopyCheckpoint(CopyCheckpoint.FORMAT_VERSION, CopyCheckpoint.KIND, sourceRecord(),
                new ObjectIdentity(obj.etag(), obj.size(), obj.lastModified(), obj.versionId(), obj.checksums()),
                request.destination().bucket(), request.destination().key(), uploadId,
                since == null ? null : since.toString(),
                plan.isEmpty() ? request.partSize() : plan.get(0).length(), Instant.now().toString(), parts);
    }

    private SourceRecord sourceRecord() {
        return new SourceRecord(store.endpointId(), request.source().bucket(), request.source().key(),
                request.source().versionId());
    }

    private void deleteCheckpoint() {
        if (request.checkpoint() != null) {
            try {
                forget(request.checkpoint());
            } catch (IOException ignored) {
                // a stale checkpoint is discarded by the next run: its upload no longer completes
            }
        }
    }

    // ------------------------------------------------------------------ endings

    private CopyResult complete(long partSize, boolean restarted) {
        state = TransferState.VERIFYING;
        List<UploadedPart> parts = new ArrayList<>(plan.size());
        for (PartPlan.Range r : plan) {
            parts.add(new UploadedPart(r.number(), etags.get(r.number() - 1), r.length()));
        }
        // an object may have arrived at the destination while the parts were copied (or while the copy was paused)
        try {
            CopyResult ended = beforeWriting(true, parts);
            if (ended != null) {
                return ended;
            }
        } catch (InterruptedIOException e) {
            return stopped();
        }
        String etag;
        Map<String, String> reported;
        try {
            CopyStore.CompletedUpload done = store.completeMultipartUploadWithChecksums(request.destination(), uploadId,
                    parts, new CancelSignal());
            etag = done.etag();
            reported = done.checksums();
        } catch (InterruptedIOException e) {
            return stopped();
        } catch (StoreException e) {
            if ("NoSuchUpload".equals(e.code()) && completedAlready(parts)) {
                // a retried Complete whose first answer was lost: the object is there
                deleteCheckpoint();
                return completed(null);
            }
            if (!restarted && ("NoSuchUpload".equals(e.code()) || "InvalidPart".equals(e.code()))) {
                notifier.emit(TransferEvent.of(Type.CHECKPOINT_DISCARDED, "the multipart upload " + uploadId
                        + " is gone (" + e.code() + "); starting over"));
                abortQuietly(uploadId, "it could not be completed");
                deleteCheckpoint();
                resetForRestart();
                return copyInParts(partSize, true);
            }
            return afterFailure(e);
        }
        notifier.emit(TransferEvent.of(Type.UPLOAD_COMPLETED, "ETag " + etag));
        String crcProblem = crcProblem(reported);
        if (crcProblem != null) {
            deleteCheckpoint();
            return failed(crcProblem, null, FailureKind.TRANSIENT);
        }
        if (Crc64.from(reported).isPresent()) {
            notifier.emit(TransferEvent.of(Type.VERIFIED, "CRC-64 " + reported.get(Crc64.HEADER)
                    + " matches the source's"));
            deleteCheckpoint();
            return completed(etag);
        }
        // the usual multipart ETag, computed from the parts, vouches for the result without another request;
        // stores that compute it otherwise get their size checked by a HEAD instead
        String expected = MultipartEtag.of(parts);
        if (expected != null && expected.equals(Etags.bare(etag))) {
            notifier.emit(TransferEvent.of(Type.VERIFIED, "ETag " + etag + " matches the copied parts"));
            deleteCheckpoint();
            return completed(etag);
        }
        String sizeProblem = checkDestinationSize();
        if (sizeProblem != null) {
            deleteCheckpoint();
            return failed(sizeProblem, null, FailureKind.TRANSIENT);
        }
        deleteCheckpoint();
        return completed(etag);
    }

    /**
     * Where the store reports the new object's CRC-64 (TOS) and the source has one, they must agree; null when
     * they do, or when there is nothing to compare.
     */
    private String crcProblem(Map<String, String> reported) {
        java.util.OptionalLong copy = Crc64.from(reported);
        java.util.OptionalLong source = Crc64.from(info.checksums());
        if (copy.isEmpty() || source.isEmpty() || copy.getAsLong() == source.getAsLong()) {
            return null;
        }
        return "the copy " + request.destination() + " has CRC-64 " + Crc64.format(copy.getAsLong())
                + " but the source has " + Crc64.format(source.getAsLong())
                + "; the server assembled different bytes: delete the copy and run it again";
    }

    /** Whether the destination already is the completed upload of {@code parts} (a Complete whose answer was lost). */
    private boolean completedAlready(List<UploadedPart> parts) {
        ObjectInfo written;
        try {
            written = store.head(request.destination(), new CancelSignal());
        } catch (IOException e) {
            return false;
        }
        if (sameBytes(written, parts) != null) {
            return true;
        }
        // nothing that could prove it (part ETags that are no MD5s, no CRC-64): an ETag of that many parts will do
        String etag = Etags.bare(written.etag());
        return written.size() == info.size() && MultipartEtag.of(parts) == null
                && Crc64.from(written.checksums()).isEmpty() && etag != null && etag.endsWith("-" + parts.size());
    }

    private void resetForRestart() {
        earlierParts = 0;
        reused = 0;
        copied.set(0);
        partsCopied.set(0);
        uploadId = null;
    }

    private String checkDestinationSize() {
        try {
            ObjectInfo written = store.head(request.destination(), new CancelSignal());
            if (written.size() != info.size()) {
                return "the copy has " + written.size() + " bytes, the source " + info.size();
            }
        } catch (IOException e) {
            // the copy completed; a failing HEAD says nothing against it
        }
        return null;
    }

    private CopyResult afterFailure(Throwable t) {
        if (stop.kind() == StopRequest.Kind.CANCEL) {
            return stopped();
        }
        boolean sourceChanged = t instanceof StoreException se && se.isPreconditionFailed();
        boolean sourceGone = t instanceof StoreException se && se.isNotFound() && "NoSuchKey".equals(se.code());
        if (sourceChanged || sourceGone || request.checkpoint() == null) {
            abandonUpload(sourceChanged ? "the source changed" : sourceGone ? "the source is gone"
                    : "there is no checkpoint to resume it from");
            deleteCheckpoint();
        }
        if (sourceChanged) {
            return failed("the source changed during the copy (its ETag no longer matches); the upload was "
                    + "aborted, run again to copy the new version", t, FailureKind.SOURCE_CHANGED);
        }
        String message = t instanceof StoreException se ? se.getMessage() : Download.describe(t);
        FailureKind kind = t instanceof StoreException se ? Download.kindOf(se) : FailureKind.TRANSIENT;
        if (request.checkpoint() != null && !sourceGone) {
            message += "; the upload and checkpoint are kept, run again to resume";
        }
        return failed(message, t, kind);
    }

    private CopyResult stopped() {
        if (stop.kind() == StopRequest.Kind.CANCEL) {
            abandonUpload("the copy was cancelled");
            deleteCheckpoint();
            state = TransferState.CANCELLED;
            return result(TransferState.CANCELLED, "cancelled; the multipart upload was aborted", null, null,
                    FailureKind.NONE);
        }
        if (request.checkpoint() == null) {
            abandonUpload("there is no checkpoint to resume it from");
        }
        state = TransferState.PAUSED;
        return result(TransferState.PAUSED, request.checkpoint() == null || uploadId == null
                ? "paused" : "paused; run again to resume from " + request.checkpoint(), null, null, FailureKind.NONE);
    }

    /** Aborts this run's upload and any it may have started unrecorded; nothing will resume them. */
    private void abandonUpload(String why) {
        abortQuietly(uploadId, why);
        if (unrecordedSince != null) {
            try {
                sweepUnrecorded(uploadId, new CancelSignal());
            } catch (InterruptedIOException stopped) {
                // best effort: the checkpoint, where there is one, keeps the time for a later run
            }
        }
    }

    private void abortQuietly(String id, String why) {
        if (id == null) {
            return;
        }
        try {
            store.abortMultipartUpload(request.destination(), id, new CancelSignal());
            notifier.emit(TransferEvent.of(Type.UPLOAD_ABORTED, id + ": " + why));
        } catch (IOException e) {
            notifier.emit(TransferEvent.of(Type.UPLOAD_ABORTED, "could not abort " + id + " (" + e.getMessage()
                    + "); it expires by the bucket's lifecycle rules"));
        }
    }

    private CopyResult completed(String etag) {
        state = TransferState.COMPLETED;
        return result(TransferState.COMPLETED, "copied " + info.size() + " bytes to " + request.destination(), etag,
                null, FailureKind.NONE);
    }

    private CopyResult failed(String message, Throwable t, FailureKind kind) {
        state = TransferState.FAILED;
        return result(TransferState.FAILED, message, null, t, kind);
    }

    private CopyResult result(TransferState s, String message, String etag, Throwable t, FailureKind kind) {
        return new CopyResult(s, request, info, copied.get(), reused, partsCopied.get(), etag, message, t, kind,
                s == TransferState.COMPLETED && foundDone);
    }

    private long doneBytes() {
        long sum = 0;
        for (PartPlan.Range r : plan) {
            if (etags.get(r.number() - 1) != null) {
                sum += r.length();
            }
        }
        return sum;
    }

    private int doneParts() {
        int n = 0;
        for (int i = 0; i < etags.length(); i++) {
            if (etags.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private Notifier.Counters counters() {
        ObjectInfo obj = info;
        return new Notifier.Counters(state, obj == null ? -1 : obj.size(), doneBytes(), copied.get(), doneParts(),
                plan.size());
    }

}
