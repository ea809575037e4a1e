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
}
