package dev.latchkey.server.store;

import dev.latchkey.server.keys.PrivateFiles;

import org.h2.tools.ChangeFileEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The files of an H2 file database ({@code jdbc:h2:file:<path>}): H2 creates them with the process umask,
 * often 0644, so they are narrowed to the owner (0600) once open, and a missing directory for them is
 * created 0700 (OWASP ASVS 8.1.6); the database file can be encrypted. Nothing for other databases.
 */
final class H2Files {

    private static final String PREFIX = "jdbc:h2:file:";
    /** The database, and the trace file an older start or an explicit TRACE_LEVEL_FILE may have left. */
    private static final String[] SUFFIXES = {".mv.db", ".trace.db"};

    /** H2's file encryption (XTS-AES), keyed by the file password given before the user's password. */
    static final String CIPHER = "AES";
    private static final byte[] PLAIN_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);

    private final Path base;

    private H2Files(Path base) {
        this.base = base;
    }

    static H2Files of(String url) {
        if (!url.startsWith(PREFIX)) {
            return new H2Files(null);
        }
        String rest = url.substring(PREFIX.length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return new H2Files(Path.of(path).toAbsolutePath());
    }

    /** Creates the database's directory 0700 when it does not exist yet. */
    void prepareDirectory() {
        Path dir = base == null ? null : base.getParent();
        if (dir != null && !dir.toFile().isDirectory()) {
            run(() -> PrivateFiles.directory(dir));
        }
    }

    boolean isFileDatabase() {
        return base != null;
    }

    /** True when the database file exists and is not a plain H2 store (whose first bytes are {@code H:2,}). */
    boolean encrypted() {
        Path file = database();
        if (base == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(PLAIN_HEADER.length);
            return start.length > 0 && !Arrays.equals(start, PLAIN_HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the H2 database file " + file, e);
        }
    }

    /** True when a database file exists that is not encrypted yet. */
    boolean plain() {
        return base != null && Files.isRegularFile(database()) && !encrypted();
    }

    /** Encrypts an existing plain database in place with H2's AES cipher (the database must be closed). */
    void encrypt(char[] filePassword) {
        try {
            ChangeFileEncryption.execute(base.getParent().toString(), base.getFileName().toString(), CIPHER, null,
                    filePassword, true);
        } catch (SQLException e) {
            throw new StoreUnavailableException("Cannot encrypt the H2 database at " + database() + ": "
                    + e.getMessage() + ". Is another process using it?", e);
        }
    }

    private Path database() {
        return base.resolveSibling(base.getFileName() + SUFFIXES[0]);
    }

    /** Narrows the database's files to 0600. */
    void restrict() {
        if (base != null) {
            for (String suffix : SUFFIXES) {
                run(() -> PrivateFiles.restrict(base.resolveSibling(base.getFileName() + suffix)));
            }
        }
    }

    private void run(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the H2 database files at " + base + " owner-only", e);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
