package dev.latchkey.server.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the owner can read (mode 0600) in a directory only the owner can enter (0700): the data
 * directory holds the master key, the bootstrap credentials and the embedded database beside them (OWASP
 * ASVS 8.1.6, 6.4.1). On a file system without POSIX permissions these are left as the system makes them.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_FILE =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) as 0700, or narrows it to 0700 if it exists: a data directory
     * left 0755 by an earlier version would otherwise let every local user read the database in it.
     */
    public static void directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
        }
        narrow(dir, OWNER_DIRECTORY);
    }

    /** Narrows an existing file to 0600 (one another program created with the process umask). */
    public static void restrict(Path file) throws IOException {
        if (Files.exists(file)) {
            narrow(file, OWNER_FILE);
        }
    }

    private static void narrow(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(path).equals(permissions)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (UnsupportedOperationException e) {
            // No POSIX permissions here (e.g. Windows): access follows the directory's ACL.
        }
    }

    /** Writes atomically: the file never exists with wider permissions or half its content. */
    public static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
