package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.server.cli.Cli.admin;
import static org.assertj.core.api.Assertions.assertThat;

class ApisCommandTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    private static String identifier() {
        return "https://api-" + UUID.randomUUID() + ".example.com/";
    }

    @Test
    void createsAnApiWithScopesAndDescribesIt() {
        String identifier = identifier();
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier, "--name", "Health API",
                "--scope", "read:patients=Read patient records", "--scope", "read:admin");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Created API \"Health API\"", identifier, "RS256",
                "86400 s", "read:patients read:admin");
        assertThat(result.err()).contains("grants create", "--audience " + identifier);
        JsonNode stored = server.json(server.management("GET", "api/v2/resource-servers", null));
        JsonNode api = find(stored, identifier);
        assertThat(api.path("scopes").get(0).path("description").asText()).isEqualTo("Read patient records");
        assertThat(api.path("scopes").get(1).path("value").asText()).isEqualTo("read:admin");
    }

    @Test
    void createWithJsonPrintsTheServersJson() {
        String identifier = identifier();
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier, "--signing-alg", "HS256",
                "--token-lifetime", "600", "--dialect", "rfc9068_profile", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode api = result.json();
        assertThat(api.path("identifier").asText()).isEqualTo(identifier);
        assertThat(api.path("signing_alg").asText()).isEqualTo("HS256");
        assertThat(api.path("signing_secret").asText()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(api.path("token_lifetime").asInt()).isEqualTo(600);
        assertThat(api.path("token_dialect").asText()).isEqualTo("rfc9068_profile");
    }

    @Test
    void createShowsTheGeneratedHs256Secret() {
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier(), "--signing-alg", "HS256");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("signing secret:");
    }

    @Test
    void listShowsTheManagementApiAndCreatedApis() {
        String identifier = identifier();
        admin(server, "apis", "create", "--identifier", identifier, "--scope", "read:things");

        Cli.Result result = admin(server, "apis", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("IDENTIFIER", server.managementAudience(), "(system)",
                identifier, "read:things");
        Cli.Result json = admin(server, "apis", "list", "--json");
        assertThat(json.json().isArray()).isTrue();
        assertThat(find(json.json(), identifier)).isNotNull();
    }

    @Test
    void deletesAnApiByIdentifier() {
        String identifier = identifier();
        admin(server, "apis", "create", "--identifier", identifier);

        Cli.Result result = admin(server, "apis", "delete", identifier);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Deleted API " + identifier);
        assertThat(find(server.json(server.management("GET", "api/v2/resource-servers", null)), identifier)).isNull();
    }

    @Test
    void deletesAnApiById() {
        String id = admin(server, "apis", "create", "--identifier", identifier(), "--json").json().path("id").asText();

        Cli.Result result = admin(server, "apis", "delete", id, "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("deleted").asBoolean()).isTrue();
        assertThat(server.management("GET", "api/v2/resource-servers/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void deletingAnUnknownApiFailsAndPointsToTheList() {
        Cli.Result result = admin(server, "apis", "delete", "https://nothing.example.com/");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("No API has the id or identifier https://nothing.example.com/",
                "apis list");
    }

    @Test
    void deletingTheManagementApiReportsTheServersRefusal() {
        Cli.Result result = admin(server, "apis", "delete", server.managementAudience());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("The Management API cannot be deleted", "403");
    }

    @Test
    void aDuplicateIdentifierReportsTheConflict() {
        String identifier = identifier();
        admin(server, "apis", "create", "--identifier", identifier);

        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("409");
    }

    @Test
    void anUnknownSigningAlgorithmIsAUsageError() {
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier(), "--signing-alg", "ES256");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--signing-alg", "'ES256' is not one of RS256, PS256, HS256");
    }

    @Test
    void anUnknownDialectIsAUsageError() {
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier(), "--dialect", "jwt");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--dialect", "access_token_authz");
    }

    @Test
    void aLifetimeOutOfRangeOrNotANumberIsAUsageError() {
        Cli.Result tooLong = admin(server, "apis", "create", "--identifier", identifier(), "--token-lifetime", "2592001");
        Cli.Result notNumber = admin(server, "apis", "create", "--identifier", identifier(), "--token-lifetime", "1d");

        assertThat(tooLong.exitCode()).isEqualTo(2);
        assertThat(tooLong.err()).contains("--token-lifetime must be between 1 and 2592000");
        assertThat(notNumber.exitCode()).isEqualTo(2);
        assertThat(notNumber.err()).contains("--token-lifetime");
    }

    @Test
    void aScopeWithoutValueIsAUsageError() {
        Cli.Result result = admin(server, "apis", "create", "--identifier", identifier(), "--scope", "=nothing");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--scope '=nothing'");
    }

    @Test
    void createWithoutIdentifierIsAUsageError() {
        Cli.Result result = admin(server, "apis", "create", "--name", "No identifier");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--identifier=URL'");
    }

    @Test
    void theGroupAloneIsAUsageError() {
        Cli.Result result = Cli.run("apis");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing subcommand: choose one of create, list, delete");
    }

    private static JsonNode find(JsonNode apis, String identifier) {
        for (JsonNode api : apis) {
            if (api.path("identifier").asText().equals(identifier)) {
                return api;
            }
        }
        return null;
    }
}
