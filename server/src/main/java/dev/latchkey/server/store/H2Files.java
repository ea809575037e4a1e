package dev.latchkey.server.store;

import dev.latchkey.server.keys.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The files of an H2 file database ({@code jdbc:h2:file:<path>}): H2 creates them with the process umask,
 * often 0644, so they are narrowed to the owner (0600) once open, and a missing directory for them is
 * created 0700 (OWASP ASVS 8.1.6). Nothing for other databases.
 */
final class H2Files {

    private static final String PREFIX = "jdbc:h2:file:";
    /** The database, and the trace file an older start or an explicit TRACE_LEVEL_FILE may have left. */
    private static final String[] SUFFIXES = {".mv.db", ".trace.db"};

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
