package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static dev.latchkey.server.cli.Cli.admin;
import static org.assertj.core.api.Assertions.assertThat;

class ClientsCommandTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    @Test
    void createsAMachineToMachineClientAndPrintsItsCredentials() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Billing service");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Created client \"Billing service\" (non_interactive)",
                "client_id:", "client_secret:", "client_credentials");
        assertThat(result.err()).contains("Keep the client secret private", "grants create --client-id");
        String clientId = value(result.out(), "client_id:");
        String secret = value(result.out(), "client_secret:");
        JsonNode stored = server.json(server.management("GET", "api/v2/clients/" + clientId, null));
        assertThat(stored.path("name").asText()).isEqualTo("Billing service");
        assertThat(stored.path("client_secret").asText()).isEqualTo(secret);
    }

    @Test
    void createsAClientOfAnotherTypeWithCallbacks() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Dashboard", "--type", "spa",
                "--callback", "https://app.example.com/callback", "--callback", "http://localhost:3000/", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode client = result.json();
        assertThat(client.path("app_type").asText()).isEqualTo("spa");
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("none");
        assertThat(client.path("callbacks").toString())
                .isEqualTo("[\"https://app.example.com/callback\",\"http://localhost:3000/\"]");
    }

    @Test
    void createsAWebClientWithLogoutUrls() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Web login", "--type", "regular_web",
                "--callback", "http://localhost:3000/callback", "--logout-url", "http://localhost:3000/");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("logout URLs:", "http://localhost:3000/");
        JsonNode stored = server.json(server.management("GET", "api/v2/clients/" + value(result.out(), "client_id:"), null));
        assertThat(stored.path("allowed_logout_urls").toString()).isEqualTo("[\"http://localhost:3000/\"]");
    }

    @Test
    void createsAClientAllowedThePasswordGrants() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Kiosk", "--type", "regular_web",
                "--grant-type", "password", "--grant-type", "http://auth0.com/oauth/grant-type/password-realm",
                "--grant-type", "refresh_token", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("grant_types").toString()).isEqualTo(
                "[\"password\",\"http://auth0.com/oauth/grant-type/password-realm\",\"refresh_token\"]");
    }

    @Test
    void anUnknownGrantTypeIsRefusedByTheServer() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Odd", "--grant-type", "magic");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Unknown grant type magic");
    }

    @Test
    void aRelativeLogoutUrlIsAUsageError() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Web", "--type", "regular_web",
                "--logout-url", "/");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--logout-url '/' is not an absolute URL");
    }

    @Test
    void anUnknownTypeIsAUsageError() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Robot", "--type", "robot");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'robot' is not one of non_interactive, regular_web, spa, native");
    }

    @Test
    void aRelativeCallbackIsAUsageError() {
        Cli.Result result = admin(server, "clients", "create", "--name", "Web", "--type", "regular_web",
                "--callback", "/callback");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--callback '/callback' is not an absolute URL");
    }

    @Test
    void createWithoutNameIsAUsageError() {
        Cli.Result result = admin(server, "clients", "create");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--name=NAME'");
    }

    @Test
    void listShowsEveryClientWithoutSecrets() {
        String clientId = value(admin(server, "clients", "create", "--name", "Listed").out(), "client_id:");

        Cli.Result result = admin(server, "clients", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("CLIENT_ID", clientId, "Listed", server.bootstrapClientId())
                .doesNotContain(server.bootstrapClientSecret());
    }

    @Test
    void deletesAClient() {
        String clientId = value(admin(server, "clients", "create", "--name", "Short-lived").out(), "client_id:");

        Cli.Result result = admin(server, "clients", "delete", clientId);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Deleted client " + clientId);
        assertThat(server.management("GET", "api/v2/clients/" + clientId, null).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAnUnknownClientFailsAndPointsToTheList() {
        Cli.Result result = admin(server, "clients", "delete", "no-such-client");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("No client has the client_id no-such-client", "clients list");
    }

    @Test
    void deletingTheBootstrapClientReportsTheServersRefusal() {
        Cli.Result result = admin(server, "clients", "delete", server.bootstrapClientId());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The bootstrap client cannot be deleted");
    }

    /** The value printed after {@code label} in a command's readable output. */
    @Test
    void rotateSecretPrintsTheNewSecretAndRetiresTheOldOne() {
        JsonNode client = server.createClient("{\"name\":\"Rotated\",\"app_type\":\"non_interactive\"}");
        String clientId = client.path("client_id").asText();
        Cli.Result result = admin(server, "clients", "rotate-secret", clientId);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String secret = value(result.out(), "client_secret:");
        assertThat(secret).hasSize(64).isNotEqualTo(client.path("client_secret").asText());
        assertThat(result.err()).contains("old secret no longer works");
        assertThat(server.json(server.management("GET", "api/v2/clients/" + clientId, null))
                .path("client_secret").asText()).isEqualTo(secret);
    }

    @Test
    void rotateSecretWorksForTheBootstrapClientAndKeepsTheCliWorking() throws Exception {
        try (TestServer own = TestServer.start()) {
            String dataDir = own.dataDir().toString();
            String old = own.bootstrapClientSecret();
            Cli.Result result = Cli.at(own, "clients", "rotate-secret", own.bootstrapClientId(), "--data-dir", dataDir);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            String secret = value(result.out(), "client_secret:");
            assertThat(secret).isNotEqualTo(old);
            assertThat(result.err()).contains("Wrote the new bootstrap secret to");
            JsonNode file = TestServer.JSON.readTree(own.dataDir().resolve("bootstrap.json").toFile());
            assertThat(file.path("client_secret").asText()).isEqualTo(secret);
            Cli.Result next = Cli.at(own, "clients", "list", "--data-dir", dataDir);
            assertThat(next.exitCode()).as(next.toString()).isZero();
        }
    }

    static String value(String out, String label) {
        return out.lines().map(String::strip).filter(line -> line.startsWith(label))
                .map(line -> line.substring(label.length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("No " + label + " in:\n" + out));
    }
}
