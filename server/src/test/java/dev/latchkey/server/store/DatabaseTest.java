package dev.latchkey.server.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    @Test
    void schemaVersionNamesTheNewestMigration() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getResource("/db/migration").toURI());
        // SQL migrations, and Java ones for what only one of the two databases can say.
        Pattern name = Pattern.compile("V(\\d+)__[^$]*\\.(sql|class)");
        int newest;
        try (Stream<Path> files = Files.list(folder)) {
            newest = files.map(f -> name.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(-1);
        }
        assertThat(Database.SCHEMA_VERSION).as("Database.SCHEMA_VERSION must follow a new migration").isEqualTo(newest);
    }

    @Test
    void aMigratedDatabaseOpensAgainWithoutMigrating() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (Database first = Database.open(url, null, null)) {
            assertThat(Database.installedVersion(first.dataSource())).isEqualTo(Database.SCHEMA_VERSION);
            try (Database second = Database.open(url, null, null)) {
                assertThat(second.ping()).isTrue();
            }
        }
    }

    /**
     * A rolling upgrade runs this build beside the next one, and a rollback restarts it, on a schema the next
     * release has already migrated: its migrations only add, so this build opens that schema as it is.
     */
    @Test
    void aSchemaMigratedByALaterReleaseOpensAsItIs() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        int later = Database.SCHEMA_VERSION + 1;
        try (Database first = Database.open(url, null, null)) {
            try (var connection = first.dataSource().getConnection(); var statement = connection.createStatement()) {
                statement.execute("ALTER TABLE users ADD COLUMN later_release VARCHAR(16)");
                statement.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", "
                        + "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
                        + "VALUES (" + (later + 100) + ", '" + later + "', 'later release', 'SQL', 'V" + later
                        + "__later_release.sql', 0, 'test', 1, TRUE)");
            }
            try (Database second = Database.open(url, null, null)) {
                assertThat(second.ping()).isTrue();
                assertThat(Database.installedVersion(second.dataSource())).isEqualTo(later);
            }
        }
    }
}
