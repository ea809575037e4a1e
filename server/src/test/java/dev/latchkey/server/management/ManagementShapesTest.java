package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Auth0 answer shapes that tools reading a whole tenant (auth0-deploy-cli, Terraform) depend on. */
class ManagementShapesTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    @Test
    void theManagementApiIsListedAsAuth0sSystemApi() {
        JsonNode apis = json(server.management("GET", "api/v2/resource-servers?per_page=100", null));
        List<JsonNode> system = new ArrayList<>();
        apis.forEach(api -> {
            if (api.path("is_system").asBoolean()) {
                system.add(api);
            }
        });
        assertThat(system).hasSize(1);
        // auth0-deploy-cli leaves out the resource server named "Auth0 Management API".
        assertThat(system.get(0).path("name").asText()).isEqualTo("Auth0 Management API");
        assertThat(system.get(0).path("identifier").asText()).isEqualTo(server.issuer() + "api/v2/");
    }

    @Test
    void actionsAreAnEmptyListInAuth0sShape() {
        // Auth0 GET /api/v2/actions/actions: {actions, total, per_page, page}.
        JsonNode actions = json(server.management("GET", "api/v2/actions/actions?per_page=20&page=1", null));
        assertThat(actions.path("actions").isArray()).isTrue();
        assertThat(actions.path("actions")).isEmpty();
        assertThat(actions.path("total").asInt()).isZero();
        assertThat(actions.path("per_page").asInt()).isEqualTo(20);
        assertThat(actions.path("page").asInt()).isEqualTo(1);
        assertThat(json(server.management("GET", "api/v2/actions/actions", null)).path("per_page").asInt())
                .isEqualTo(50);
    }

    @Test
    void clientGrantsPageByCheckpoint() {
        // Auth0 "Pagination": from and take answer {next, <collection>}; no next at the end.
        String api = "https://checkpoint-" + UUID.randomUUID() + ".example.com";
        server.createApi("{\"identifier\":\"" + api + "\"}");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String client = server.createClient("{\"name\":\"cp" + i + "\",\"app_type\":\"non_interactive\"}")
                    .path("client_id").asText();
            created.add(server.grant(client, api).path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String from = null;
        for (int calls = 0; calls < 10; calls++) {
            JsonNode page = json(server.management("GET", "api/v2/client-grants?take=2&audience=" + encode(api)
                    + (from == null ? "" : "&from=" + encode(from)), null));
            page.path("client_grants").forEach(grant -> seen.add(grant.path("id").asText()));
            if (!page.has("next")) {
                break;
            }
            from = page.path("next").asText();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
        assertManagementError(server.management("GET", "api/v2/client-grants?take=0", null), 400,
                "invalid_query_string");
        assertManagementError(server.management("GET", "api/v2/client-grants?take=101", null), 400,
                "invalid_query_string");
    }

    @Test
    void connectionsPageByCheckpointAndListTheClientsThatMayUseThem() {
        JsonNode first = json(server.management("GET", "api/v2/connections?take=1", null));
        assertThat(first.path("connections")).hasSize(1);
        assertThat(first.has("next")).isTrue();
        String id = first.path("connections").get(0).path("id").asText();
        JsonNode rest = json(server.management("GET", "api/v2/connections?take=50&from=" + encode(id), null));
        assertThat(rest.path("connections").findValuesAsText("id")).doesNotContain(id);
        assertThat(rest.has("next")).isFalse();

        String client = server.createClient("{\"name\":\"uses connections\",\"app_type\":\"spa\"}")
                .path("client_id").asText();
        List<String> enabled = new ArrayList<>();
        String from = null;
        for (int calls = 0; calls < 100; calls++) {
            JsonNode page = json(server.management("GET", "api/v2/connections/" + id + "/clients?take=2"
                    + (from == null ? "" : "&from=" + encode(from)), null));
            page.path("clients").forEach(c -> enabled.add(c.path("client_id").asText()));
            if (!page.has("next")) {
                break;
            }
            from = page.path("next").asText();
        }
        assertThat(enabled).contains(client, server.bootstrapClientId()).doesNotHaveDuplicates();
        assertManagementError(server.management("GET", "api/v2/connections/con_nope/clients", null), 404,
                "inexistent_connection");
    }

    @Test
    void enablingAClientOnAConnectionIsAcceptedAndDisablingIsRefused() {
        String id = json(server.management("GET", "api/v2/connections", null)).get(0).path("id").asText();
        String client = server.createClient("{\"name\":\"patched\",\"app_type\":\"spa\"}").path("client_id").asText();
        String path = "api/v2/connections/" + id + "/clients";
        assertThat(server.management("PATCH", path, "[{\"client_id\":\"" + client + "\",\"status\":true}]")
                .statusCode()).isEqualTo(204);
        assertManagementError(server.management("PATCH", path, "[{\"client_id\":\"" + client + "\",\"status\":false}]"),
                403, "operation_not_supported");
        assertManagementError(server.management("PATCH", path, "[{\"client_id\":\"nope\",\"status\":true}]"), 404,
                "inexistent_client");
        assertManagementError(server.management("PATCH", path, "{\"client_id\":\"" + client + "\"}"), 400,
                "invalid_body");
        assertManagementError(server.management("PATCH", path, "[{\"client_id\":\"" + client + "\"}]"), 400,
                "invalid_body");
    }
}
