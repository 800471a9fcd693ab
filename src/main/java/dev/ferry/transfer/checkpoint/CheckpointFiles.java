package dev.ferry.transfer.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Durable JSON files: written to a temp file beside the target, forced to disk, atomically renamed
 * over the target, and the folder forced too. A crash at any instant leaves either the old or the
 * new complete file.
 */
public final class CheckpointFiles {
    private CheckpointFiles() {
    }

    /** Built on first use: building a mapper costs a command-line run a noticeable part of its start-up. */
    private static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    public static ObjectMapper json() {
        return Mapper.JSON;
    }

    /**
     * Builds the mapper and its writers for both kinds of checkpoint by writing samples to memory, so the first
     * real save (a copy's right after its upload is created, before any part is copied) does not pay for that.
     */
    public static void warmUp() throws IOException {
        SourceRecord source = new SourceRecord("warm-up", "b", "k", null);
        ObjectIdentity object = new ObjectIdentity("\"e\"", 1, null, null, java.util.Map.of());
        json().writeValueAsBytes(new CopyCheckpoint(CopyCheckpoint.FORMAT_VERSION, CopyCheckpoint.KIND, source, object,
                "b", "k2", "u", 1, "now", List.of(new CopyCheckpoint.Part(1, 0, 1, null))));
        json().writeValueAsBytes(new DownloadCheckpoint(DownloadCheckpoint.FORMAT_VERSION, DownloadCheckpoint.KIND,
                source, object, "/d", "/t", 1, 1, "now", List.of(new DownloadCheckpoint.Part(1, 0, 1, 0))));
    }

    /** Writes {@code value} as JSON to {@code target}, durably and atomically. */
    public static void write(Path target, Object value) throws IOException {
        writeAtomically(target, json().writeValueAsBytes(value),
                tmp -> FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /**
     * Like {@link #write}, atomic, but not forced to the disk: what it writes outlives the process (a kill leaves
     * the old or the new content), not the machine; for a record wanted at once where forcing would cost more than
     * it saves.
     */
    public static void writeUnforced(Path target, Object value) throws IOException {
        writeAtomically(target, json().writeValueAsBytes(value),
                tmp -> FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), false);
    }

    /** Creates the temp file a write goes through (new, writable), with whatever attributes the caller needs. */
    @FunctionalInterface
    public interface TempCreator {
        FileChannel create(Path tmp) throws IOException;
    }

    /**
     * Replaces {@code target} with {@code bytes} durably and atomically: a temp file beside it (made by
     * {@code creator}), forced, renamed over the target, the folder forced. A crash leaves the old or the new
     * content, never a mix.
     */
    public static void writeAtomically(Path target, byte[] bytes, TempCreator creator) throws IOException {
        writeAtomically(target, bytes, creator, true);
    }

    private static void writeAtomically(Path target, byte[] bytes, TempCreator creator, boolean force)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        ensureFolder(dir);
        Path tmp = dir.resolve(target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = creator.create(tmp)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (force) {
            forceDirectory(dir);
        }
    }

    /**
     * Deletes a checkpoint and the temp files of writes to it that a killed process left behind
     * ({@code <name>.tmp-*}, see {@link #writeAtomically}); true when the checkpoint existed. Only the process
     * that owns the transfer calls this, so no live write is swept away.
     */
    public static boolean delete(Path checkpoint) throws IOException {
        // asked first: a missing file costs deleteIfExists an exception inside the JDK, which a folder of small
        // objects would pay for once per object
        boolean existed = Files.exists(checkpoint) && Files.deleteIfExists(checkpoint);
        Path dir = checkpoint.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) {
            String prefix = checkpoint.getFileName() + ".tmp-";
            try (java.nio.file.DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                    p -> p.getFileName().toString().startsWith(prefix))) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return existed;
    }

    /** The names Ferry gives the checkpoints it places itself ({@link #defaultDownloadCheckpoint} and the like). */
    private static final Pattern FERRY_NAMED = Pattern.compile("(download|link|copy)-[0-9a-f]{24}\\.json");

    /**
     * Why a transfer must neither use nor replace what is at {@code checkpoint}, or null when it may read it and,
     * if it cannot use it, replace it. A checkpoint under a name Ferry gave it is Ferry's own. A file at a place
     * somebody named is replaced only when it is recognisably a checkpoint of {@code kind} ({@code "download"},
     * {@code "copy"}) that is damaged, outdated or of an object that changed: a folder, a document, another kind of
     * checkpoint or another transfer's checkpoint ({@code belongs} false) is left as it is, and the transfer is
     * refused.
     */
    public static <T> String leftAlone(Path checkpoint, String kind, Class<T> type, Predicate<T> belongs) {
        if (checkpoint == null || FERRY_NAMED.matcher(String.valueOf(checkpoint.getFileName())).matches()) {
            return null;
        }
        if (Files.isDirectory(checkpoint)) {
            return "the checkpoint " + checkpoint + " is a folder";
        }
        if (!Files.exists(checkpoint)) {
            return null;
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(checkpoint)) {
            start = in.readNBytes(4096);
        } catch (IOException e) {
            return "cannot read the checkpoint " + checkpoint + ": " + e.getMessage();
        }
        String text = new String(start, StandardCharsets.UTF_8);
        if (start.length < 4096 && text.isBlank()) {
            return null; // empty, as a file made to hold the checkpoint is (mktemp): nothing in it to keep
        }
        if (!Pattern.compile("\"kind\"\\s*:\\s*\"" + kind + "\"").matcher(text).find()) {
            return "the checkpoint " + checkpoint + " is not a Ferry " + kind + " checkpoint; it is left as it is";
        }
        try {
            T cp = read(checkpoint, type);
            if (cp != null && !belongs.test(cp)) {
                return "the checkpoint " + checkpoint + " is another " + kind + "'s; it is left as it is";
            }
        } catch (IOException | RuntimeException damaged) {
            // a damaged checkpoint of this kind: the transfer explains and replaces it
        }
        return null;
    }

    /** Reads a JSON file; null when it does not exist; {@link IOException} when it cannot be parsed. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        byte[] bytes;
        if (!Files.exists(file) && searchable(file.toAbsolutePath().getParent())) {
            return null; // asked first, as in delete: most transfers have no checkpoint yet
        }
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        T value = json().readValue(bytes, type);
        if (value == null) {
            throw new IOException(file + " holds no " + type.getSimpleName());
        }
        return value;
    }

    /**
     * Whether {@code dir} is a folder whose entries can be looked up, so that a name {@link Files#exists} does not
     * find there is really absent (and not merely hidden behind a permission).
     */
    private static boolean searchable(Path dir) {
        return dir != null && Files.isDirectory(dir) && Files.isExecutable(dir);
    }

    /**
     * Creates {@code dir} and its parents unless it is already a folder. Asking first is cheaper than
     * {@link Files#createDirectories} on a folder that exists, which throws and catches two exceptions inside.
     */
    public static void ensureFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
    }

    /** Makes a rename or delete in {@code dir} durable where the platform allows it. */
    public static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // not supported on every platform (Windows); the rename itself is still atomic
        }
    }

    /**
     * The default checkpoint of a download: under {@code $FERRY_HOME/checkpoints/}, named by a digest of
     * everything that identifies the transfer, so running the same command again finds it.
     */
    public static Path defaultDownloadCheckpoint(String endpointId, String bucket, String key, String versionId,
                                                 Path destination) {
        return FerryHome.checkpoints().resolve(downloadCheckpointName(endpointId, bucket, key, versionId, destination));
    }

    /** The file name of a download's default checkpoint, for a checkpoint folder of the caller's choice. */
    public static String downloadCheckpointName(String endpointId, String bucket, String key, String versionId,
                                                Path destination) {
        return "download-" + digest(endpointId, bucket, key, versionId,
                destination.toAbsolutePath().normalize().toString()) + ".json";
    }

    /**
     * The default checkpoint of a link's download: named by the destination alone, so the same command with a
     * fresh link (a new signature, a mirror) finds it, and the file's identity decides whether it resumes.
     */
    public static Path defaultLinkCheckpoint(Path destination) {
        return FerryHome.checkpoints().resolve(linkCheckpointName(destination));
    }

    /** The file name of a link download's default checkpoint, for a checkpoint folder of the caller's choice. */
    public static String linkCheckpointName(Path destination) {
        return "link-" + digest("link", destination.toAbsolutePath().normalize().toString()) + ".json";
    }

    /** The default checkpoint of a server-side copy, found again by the same command. */
    public static Path defaultCopyCheckpoint(String endpointId, String sourceBucket, String sourceKey,
                                             String sourceVersionId, String destBucket, String destKey) {
        return FerryHome.checkpoints().resolve(copyCheckpointName(endpointId, sourceBucket, sourceKey,
                sourceVersionId, destBucket, destKey));
    }

    /** The file name of a copy's default checkpoint, for a checkpoint folder of the caller's choice. */
    public static String copyCheckpointName(String endpointId, String sourceBucket, String sourceKey,
                                            String sourceVersionId, String destBucket, String destKey) {
        return "copy-" + digest(endpointId, sourceBucket, sourceKey, sourceVersionId, destBucket, destKey) + ".json";
    }

    /** A short stable file-name-safe digest of the given parts. */
    public static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update((p == null ? "\u0000" : p).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
