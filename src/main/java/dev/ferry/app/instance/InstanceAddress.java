package dev.ferry.app.instance;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where the running app listens: a loopback port and the token a caller must present.
 *
 * @param port  the TCP port on the loopback address
 * @param token random, URL-safe; whoever can read the file may hand links to the app
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record InstanceAddress(int port, String token) {
    static final String FILE_NAME = "app-instance.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /** The address in {@code file}; empty when there is none or it cannot be read as one. */
    static Optional<InstanceAddress> read(Path file) {
        try {
            InstanceAddress a = JSON.readValue(Files.readAllBytes(file), InstanceAddress.class);
            return a.port() > 0 && a.port() < 65536 && a.token() != null && !a.token().isEmpty()
                    ? Optional.of(a) : Optional.empty();
        } catch (IOException | RuntimeException missingOrGarbled) {
            return Optional.empty();
        }
    }

    /**
     * Replaces {@code file} with this address. The new file is created readable by its owner only (0600 where the
     * file system has POSIX permissions; elsewhere the data folder is private to the user) and renamed into place,
     * so a reader sees the old address or the new one, never half of one.
     */
    void write(Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel out = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? FileChannel.open(temp, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : FileChannel.open(temp, options)) {
            JSON.writeValue(Channels.newOutputStream(out), this);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "InstanceAddress[port=" + port + "]"; // the token stays out of logs and messages
    }
}
