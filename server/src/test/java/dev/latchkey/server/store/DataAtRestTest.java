package dev.latchkey.server.store;

import dev.latchkey.server.Latchkey;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data directory holds the master key, the bootstrap credentials and the embedded database: only their
 * owner may read them (OWASP ASVS 8.1.6, 6.4.1), whatever the process umask.
 */
class DataAtRestTest {

    @Test
    void theDefaultDataDirectoryAndEverythingInItAreOwnerOnly(@TempDir Path parent) throws IOException {
        Path dataDir = parent.resolve("data");
        try (Latchkey ignored = Latchkey.start(defaultFileSettings(dataDir), TestServer.CHEAP_PASSWORDS)) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
            for (String file : List.of("master.key", "bootstrap.json", "latchkey.mv.db")) {
                assertThat(mode(dataDir.resolve(file))).as(file).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void aDataDirectoryLeftWideByAnEarlierVersionIsNarrowed(@TempDir Path parent) throws IOException {
        Path dataDir = Files.createDirectory(parent.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Latchkey ignored = Latchkey.start(defaultFileSettings(dataDir), TestServer.CHEAP_PASSWORDS)) {
            assertThat(mode(dataDir)).isEqualTo("rwx------");
        }
    }

    @Test
    void theEmbeddedDatabaseWritesNoTraceFile(@TempDir Path dir) {
        // H2 copies failed statements into <name>.trace.db beside the database unless told not to.
        Path base = dir.resolve("data").resolve("latchkey");
        try (Database database = Database.open("jdbc:h2:file:" + base, null, null)) {
            assertThatThrownBy(() -> database.jdbi().useHandle(h -> h.execute("SELECT nonsense FROM nowhere")))
                    .isInstanceOf(RuntimeException.class);
        }
        assertThat(Files.exists(dir.resolve("data").resolve("latchkey.trace.db"))).isFalse();
        assertThat(Files.exists(dir.resolve("data").resolve("latchkey.mv.db"))).isTrue();
    }

    /** As {@code serve} builds them with no database URL and no master key: everything under the data directory. */
    private static Settings defaultFileSettings(Path dataDir) {
        int port = TestServer.freePort();
        return new Settings(port, Settings.DEFAULT_BIND, Settings.normaliseIssuer("http://localhost:" + port + "/"),
                dataDir, "jdbc:h2:file:" + dataDir.resolve("latchkey").toAbsolutePath(), null, null, null, null, null,
                null, null, List.of(), null);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
