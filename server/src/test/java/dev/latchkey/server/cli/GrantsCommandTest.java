package dev.latchkey.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.latchkey.server.cli.Cli.admin;
import static org.assertj.core.api.Assertions.assertThat;

class GrantsCommandTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    /** A new API with three scopes; returns its identifier. */
    private static String api() {
        String identifier = "https://api-" + UUID.randomUUID() + ".example.com/";
        server.createApi("{\"identifier\":\"" + identifier + "\",\"scopes\":[{\"value\":\"read:a\"},"
                + "{\"value\":\"write:a\"},{\"value\":\"delete:a\"}]}");
        return identifier;
    }

    private static String client() {
        return server.createClient("{\"name\":\"grantee\",\"app_type\":\"non_interactive\"}").path("client_id").asText();
    }

    @Test
    void withoutScopesGrantsEveryScopeTheApiDefines() {
        String audience = api();
        String clientId = client();

        Cli.Result result = admin(server, "grants", "create", "--client-id", clientId, "--audience", audience);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Granted client " + clientId + " tokens for " + audience,
                "read:a write:a delete:a");
        assertThat(result.err()).contains("./latchkey token --client-id " + clientId);
        JsonNode grants = server.json(server.management("GET", "api/v2/client-grants?client_id=" + clientId, null));
        assertThat(grants.get(0).path("scope").toString()).isEqualTo("[\"read:a\",\"write:a\",\"delete:a\"]");
    }

    @Test
    void grantsTheScopesGivenRepeatedOrSpaceSeparated() {
        String audience = api();
        String clientId = client();

        Cli.Result result = admin(server, "grants", "create", "--client-id", clientId, "--audience", audience,
                "--scope", "read:a write:a", "--scope", "read:a", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.json().path("scope").toString()).isEqualTo("[\"read:a\",\"write:a\"]");
        assertThat(result.json().path("id").asText()).startsWith("cgr_");
    }

    @Test
    void anUnknownAudienceSaysToCreateTheApi() {
        Cli.Result result = admin(server, "grants", "create", "--client-id", client(), "--audience",
                "https://unknown.example.com/");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("No API has the identifier https://unknown.example.com/",
                "apis create --identifier https://unknown.example.com/");
    }

    @Test
    void aScopeTheApiDoesNotDefineReportsTheServersMessage() {
        Cli.Result result = admin(server, "grants", "create", "--client-id", client(), "--audience", api(),
                "--scope", "admin:everything");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Scope admin:everything is not defined by the API", "400");
    }

    @Test
    void anUnknownClientReportsTheServersMessage() {
        Cli.Result result = admin(server, "grants", "create", "--client-id", "nobody", "--audience", api());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("No client with id nobody exists", "404");
    }

    @Test
    void missingFlagsAreAUsageError() {
        Cli.Result result = admin(server, "grants", "create", "--client-id", "someone");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required option: '--audience=URL'");
    }

    @Test
    void listShowsGrantsAndFiltersByClient() {
        String audience = api();
        String clientId = client();
        String other = client();
        server.grant(clientId, audience, "read:a");
        server.grant(other, audience, "write:a");

        Cli.Result all = admin(server, "grants", "list");
        Cli.Result mine = admin(server, "grants", "list", "--client-id", clientId, "--json");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).contains("AUDIENCE", clientId, other, server.bootstrapClientId());
        assertThat(mine.exitCode()).as(mine.toString()).isZero();
        assertThat(mine.json()).hasSize(1);
        assertThat(mine.json().get(0).path("client_id").asText()).isEqualTo(clientId);
    }

    @Test
    void deletesAGrantAndReportsAnUnknownOne() {
        String id = server.grant(client(), api(), "read:a").path("id").asText();

        Cli.Result deleted = admin(server, "grants", "delete", id);
        Cli.Result again = admin(server, "grants", "delete", id);

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("Deleted client grant " + id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("No client grant has the id " + id, "grants list");
    }
}
