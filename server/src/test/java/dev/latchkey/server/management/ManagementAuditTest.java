package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.latchkey.server.testing.ManagementCalls.call;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.ManagementCalls.tokenWithScopes;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Management API writes in the tenant log, with Auth0's "Log Event Type Codes": {@code sapi} (Success API
 * Operation) and {@code fapi} (Failed API Operation), never with a request or response body.
 */
class ManagementAuditTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    /** The log entries of {@code type} whose path is {@code path}, once {@code count} of them are written. */
    private static JsonNode entries(String type, String path, int count) {
        String query = "api/v2/logs?per_page=100&q=" + encode("type:" + type);
        JsonNode matching = eventually(() -> only(json(server.management("GET", query, null)), path),
                found -> found.size() >= count);
        assertThat(matching).hasSize(count);
        return matching;
    }

    private static JsonNode only(JsonNode logs, String path) {
        var matching = TestServer.JSON.createArrayNode();
        logs.forEach(log -> {
            if (log.path("details").path("request").path("path").asText().equals(path)) {
                matching.add(log);
            }
        });
        return matching;
    }

    @Test
    void aSuccessfulWriteIsLoggedAsSapiWithoutItsBody() {
        JsonNode client = server.createClient("{\"name\":\"audited\",\"app_type\":\"non_interactive\"}");
        String id = client.path("client_id").asText();
        String path = "/api/v2/clients/" + id + "/rotate-secret";
        JsonNode rotated = json(server.management("POST", path.substring(1), null));

        JsonNode entry = entries("sapi", path, 1).get(0);
        assertThat(entry.path("description").asText()).isEqualTo("POST /api/v2/clients/{id}/rotate-secret");
        assertThat(entry.path("client_id").asText()).isEqualTo(server.bootstrapClientId());
        assertThat(entry.path("client_name").asText()).isNotBlank();
        assertThat(entry.path("ip").asText()).isNotBlank();
        JsonNode details = entry.path("details");
        assertThat(details.path("request").path("method").asText()).isEqualTo("post");
        assertThat(details.path("request").path("auth").path("subject").asText())
                .isEqualTo(server.bootstrapClientId() + "@clients");
        assertThat(details.path("response").path("statusCode").asInt()).isEqualTo(200);
        assertThat(entry.toString()).doesNotContain(rotated.path("client_secret").asText())
                .doesNotContain(client.path("client_secret").asText());
    }

    @Test
    void aFailedWriteIsLoggedAsFapiWithItsStatus() {
        String token = tokenWithScopes(server, "read:clients");
        String path = "/api/v2/clients/" + server.bootstrapClientId();
        assertThat(call(server, token, "DELETE", path.substring(1), null).statusCode()).isEqualTo(403);
        JsonNode entry = entries("fapi", path, 1).get(0);
        assertThat(entry.path("details").path("response").path("statusCode").asInt()).isEqualTo(403);
        assertThat(entry.path("details").path("response").path("errorCode").asText()).isEqualTo("insufficient_scope");

        String missing = "/api/v2/resource-servers/nope-" + System.nanoTime();
        assertThat(server.management("PATCH", missing.substring(1), "{\"name\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(entries("fapi", missing, 1).get(0).path("details").path("response").path("statusCode").asInt())
                .isEqualTo(404);
    }

    @Test
    void readsAndCallsWithoutAValidTokenAreNotLogged() {
        String path = "/api/v2/clients/unlogged-" + System.nanoTime();
        server.management("GET", path.substring(1), null);
        HttpResponse<String> anonymous = server.send(java.net.http.HttpRequest.newBuilder(server.uri(path.substring(1)))
                .DELETE());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        // A later write on the same path shows the writer has caught up, and that it alone was logged.
        server.management("DELETE", path.substring(1), null);
        JsonNode failed = entries("fapi", path, 1);
        assertThat(failed.get(0).path("details").path("request").path("method").asText()).isEqualTo("delete");
        assertThat(only(json(server.management("GET", "api/v2/logs?per_page=100&q=" + encode("type:sapi"), null)),
                path)).isEmpty();
    }
}
