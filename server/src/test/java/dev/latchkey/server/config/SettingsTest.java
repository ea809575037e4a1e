package dev.latchkey.server.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsTest {

    @Test
    void printingTheSettingsNeverShowsASecret() {
        Settings settings = new Settings(8080, "127.0.0.1", URI.create("http://localhost:8080/"), Path.of("data"),
                "jdbc:postgresql://db/latchkey?user=app&password=db-pass-1", "app", "db-pass-2", "master-key-3",
                "bootstrap-id", "bootstrap-secret-4", null, null, List.of(), "metrics-token-5");

        String printed = settings.toString();

        assertThat(printed).contains("bootstrap-id", "jdbc:postgresql://db/latchkey?user=app&password=***");
        for (String secret : new String[] {"db-pass-1", "db-pass-2", "master-key-3", "bootstrap-secret-4",
                "metrics-token-5"}) {
            assertThat(printed).doesNotContain(secret);
        }
    }
}
