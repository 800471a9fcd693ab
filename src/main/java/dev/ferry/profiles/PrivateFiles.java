package dev.ferry.profiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.ferry.transfer.checkpoint.CheckpointFiles;

/**
 * Files only their owner may read, written durably and atomically like {@link CheckpointFiles}: a temp
 * file beside the target, forced, renamed over it, the folder forced.
 *
 * <p>The temp file is <em>created</em> with its final permissions, so the secret is never readable by
 * others, not even for an instant: on POSIX file systems mode 0600 (the umask can only take bits away);
 * on file systems with ACLs instead (Windows) an ACL that allows the owner alone, falling back to the
 * folder's inherited ACL where the platform refuses that attribute; Ferry's default data folder on
 * Windows ({@code %LOCALAPPDATA%}) is private to the user already. On a file system with neither, the
 * file gets the platform's default permissions, and the folder is all that protects it.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private PrivateFiles() {
    }

    static void write(Path target, byte[] bytes) throws IOException {
        CheckpointFiles.writeAtomically(target, bytes, PrivateFiles::createOwnerOnly);
    }

    private static FileChannel createOwnerOnly(Path file) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileSystem fs = file.getFileSystem();
        if (fs.supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
        }
        if (fs.supportedFileAttributeViews().contains("acl")) {
            try {
                return FileChannel.open(file, options, ownerOnlyAcl(fs));
            } catch (UnsupportedOperationException | IOException refused) {
                Files.deleteIfExists(file);
            }
        }
        return FileChannel.open(file, options);
    }

    private static FileAttribute<List<AclEntry>> ownerOnlyAcl(FileSystem fs) throws IOException {
        UserPrincipal me = fs.getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        AclEntry entry = AclEntry.newBuilder()
                .setType(AclEntryType.ALLOW)
                .setPrincipal(me)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                .build();
        return new FileAttribute<>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return List.of(entry);
            }
        };
    }

    /**
     * Takes group and other permissions away from a file someone else made readable (say, by copying it
     * in); true when the file is (now) private or the file system has no POSIX permissions.
     */
    static boolean restrictToOwner(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return true;
        }
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(file);
            if (!OWNER_READ_WRITE.containsAll(now)) {
                Set<PosixFilePermission> tightened = EnumSet.noneOf(PosixFilePermission.class);
                tightened.addAll(now);
                tightened.retainAll(OWNER_READ_WRITE);
                Files.setPosixFilePermissions(file, tightened);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
