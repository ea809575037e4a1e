package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.server.cli.Cli.admin;
import static org.assertj.core.api.Assertions.assertThat;

class UsersCommandTest {

    private static final String PASSWORD = "correct horse battery 42!";

    @AutoClose
    private static final TestServer server = TestServer.start();

    private static String email() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void createsAUserInTheDefaultConnectionAndDescribesIt() {
        String email = email();
        Cli.Result result = admin(server, "users", "create", "--email", email, "--password", PASSWORD,
                "--name", "Ada Lovelace");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Created user " + email, "user_id:", "auth0|", "Ada Lovelace",
                "Username-Password-Authentication");
        assertThat(result.out()).doesNotContain(PASSWORD);
        JsonNode found = server.json(server.management("GET", "api/v2/users-by-email?email=" + email, null));
        assertThat(found.get(0).path("name").asText()).isEqualTo("Ada Lovelace");
    }

    @Test
    void createWithJsonPrintsTheServersJson() {
        String email = email();
        Cli.Result result = admin(server, "users", "create", "--email", email, "--password", PASSWORD, "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("email").asText()).isEqualTo(email);
        assertThat(result.json().path("user_id").asText()).startsWith("auth0|");
        assertThat(result.json().has("password")).isFalse();
    }

    @Test
    void listShowsCreatedUsers() {
        String email = email();
        admin(server, "users", "create", "--email", email, "--password", PASSWORD, "--name", "Listed");

        Cli.Result result = admin(server, "users", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("USER_ID", "EMAIL", email, "Listed", "Username-Password-Authentication");
        Cli.Result json = admin(server, "users", "list", "--connection", "Username-Password-Authentication", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().toString()).contains(email);
    }

    @Test
    void aTakenEmailReportsTheConflict() {
        String email = email();
        admin(server, "users", "create", "--email", email, "--password", PASSWORD);

        Cli.Result result = admin(server, "users", "create", "--email", email, "--password", PASSWORD);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("409");
    }

    @Test
    void anUnknownConnectionReportsTheServersRefusal() {
        Cli.Result result = admin(server, "users", "create", "--email", email(), "--password", PASSWORD,
                "--connection", "No-Such-Connection");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("400");
    }

    @Test
    void aWeakPasswordReportsTheServersRefusal() {
        Cli.Result result = admin(server, "users", "create", "--email", email(), "--password", "abc");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("400");
    }

    @Test
    void createWithoutPasswordIsAUsageError() {
        Cli.Result result = admin(server, "users", "create", "--email", email());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--password=PASSWORD").contains("--password-stdin");
    }

    @Test
    void readsThePasswordFromStandardInputSoThatItStaysOutOfTheProcessList() {
        String email = email();
        Cli.Result result = withStdin(PASSWORD + "\n",
                () -> admin(server, "users", "create", "--email", email, "--password-stdin", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("email").asText()).isEqualTo(email);
    }

    @Test
    void anEmptyPasswordOnStandardInputIsAUsageError() {
        Cli.Result result = withStdin("", () -> admin(server, "users", "create", "--email", email(), "--password-stdin"));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--password-stdin read an empty line");
    }

    @Test
    void bothPasswordSourcesAtOnceIsAUsageError() {
        Cli.Result result = admin(server, "users", "create", "--email", email(), "--password", PASSWORD,
                "--password-stdin");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mutually exclusive");
    }

    private static Cli.Result withStdin(String input, java.util.function.Supplier<Cli.Result> command) {
        java.io.InputStream original = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return command.get();
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void anEmptyEmailIsAUsageError() {
        Cli.Result result = admin(server, "users", "create", "--email", " ", "--password", PASSWORD);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--email must not be empty");
    }

    @Test
    void theGroupAloneIsAUsageError() {
        Cli.Result result = Cli.run("users");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing subcommand: choose one of create, list");
    }
}
