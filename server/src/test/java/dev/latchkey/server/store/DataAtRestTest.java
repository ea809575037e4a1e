package dev.latchkey.server.store;

import dev.latchkey.server.Latchkey;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
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

    @Test
    void aMasterKeyKeptApartEncryptsTheEmbeddedDatabaseAndAnEarlierPlainOneIsEncryptedInPlace(@TempDir Path parent)
            throws IOException {
        Path dataDir = parent.resolve("data");
        Path database = dataDir.resolve("latchkey.mv.db");
        String clientId;
        try (Latchkey ignored = Latchkey.start(defaultFileSettings(dataDir), TestServer.CHEAP_PASSWORDS)) {
            clientId = Files.readString(dataDir.resolve("bootstrap.json"));
        }
        // With the key in the data directory, encrypting the file would protect nothing: it stays plain.
        assertThat(contains(database, "REFRESH_TOKENS")).isTrue();

        // The operator moves the key out of the data directory (issue: finding 11).
        String key = Files.readString(dataDir.resolve("master.key")).trim();
        Files.delete(dataDir.resolve("master.key"));
        try (Latchkey restarted = Latchkey.start(withMasterKey(dataDir, key), TestServer.CHEAP_PASSWORDS)) {
            // Everything written before is still there: the bootstrap client still gets tokens.
            assertThat(restarted.port()).isPositive();
        }
        assertThat(contains(database, "REFRESH_TOKENS")).isFalse();
        assertThat(Files.readString(dataDir.resolve("bootstrap.json"))).isEqualTo(clientId);
        assertThat(mode(database)).isEqualTo("rw-------");

        // A wrong key cannot open it, and says what to check.
        String wrong = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> Latchkey.start(withMasterKey(dataDir, wrong), TestServer.CHEAP_PASSWORDS))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("LATCHKEY_MASTER_KEY");
        // The right one still does, and the database stays encrypted even if the key moves back in.
        try (Latchkey again = Latchkey.start(withMasterKey(dataDir, key), TestServer.CHEAP_PASSWORDS)) {
            assertThat(again.port()).isPositive();
        }
        Files.writeString(dataDir.resolve("master.key"), key + "\n");
        try (Latchkey back = Latchkey.start(defaultFileSettings(dataDir), TestServer.CHEAP_PASSWORDS)) {
            assertThat(back.port()).isPositive();
        }
        assertThat(contains(database, "REFRESH_TOKENS")).isFalse();
    }

    private static boolean contains(Path file, String text) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
    }

    private static Settings withMasterKey(Path dataDir, String masterKey) {
        Settings base = defaultFileSettings(dataDir);
        return new Settings(base.port(), base.bind(), base.issuer(), dataDir, base.databaseUrl(), null, null,
                masterKey, null, null, null, null, List.of(), null);
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
