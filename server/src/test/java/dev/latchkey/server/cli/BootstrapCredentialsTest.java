package dev.latchkey.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BootstrapCredentialsTest {

    @Test
    void givenCredentialsWinOverTheFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bootstrap.json"), "{\"client_id\":\"from-file\",\"client_secret\":\"file-secret\"}");

        BootstrapCredentials credentials = BootstrapCredentials.load("given", "given-secret", dir);

        assertThat(credentials.clientId()).isEqualTo("given");
        assertThat(credentials.clientSecret()).isEqualTo("given-secret");
        assertThat(credentials.source()).contains("LATCHKEY_BOOTSTRAP_CLIENT_ID");
    }

    @Test
    void readsTheFileTheServerWrites(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bootstrap.json"), "{\"client_id\":\"from-file\",\"client_secret\":\"file-secret\"}");

        BootstrapCredentials credentials = BootstrapCredentials.load(null, " ", dir);

        assertThat(credentials.clientId()).isEqualTo("from-file");
        assertThat(credentials.clientSecret()).isEqualTo("file-secret");
        assertThat(credentials.source()).isEqualTo(dir.resolve("bootstrap.json").toString());
    }

    @Test
    void aFileWithoutTheFieldsSaysHowToRegenerateIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bootstrap.json"), "{\"client_id\":\"only-id\"}");

        assertThatThrownBy(() -> BootstrapCredentials.load(null, null, dir))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("has no client_id and client_secret")
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(CliException.USAGE));
    }

    @Test
    void theSecretNeverAppearsInItsDescription() {
        BootstrapCredentials credentials = BootstrapCredentials.load("id", "very-secret-value", Path.of("."));

        assertThat(credentials.toString()).contains("id").doesNotContain("very-secret-value");
    }
}
