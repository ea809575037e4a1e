package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.call;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.ManagementCalls.tokenWithScopes;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

class LogsApiTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    /** Records {@code count} events of a type unique to the test and waits until all are visible. */
    private static String recordEvents(int count, String userId) {
        String type = "t" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < count; i++) {
            server.latchkey().auditLog().record(new LogEvent(type, "event " + i, "cid", "App", userId, "someone",
                    "192.0.2.1", null, Map.of("n", i)));
        }
        eventually(() -> json(server.management("GET", "api/v2/logs?include_totals=true&q=type:" + type, null)),
                page -> page.path("total").asInt() == count);
        return type;
    }

    @Test
    void listsNewestFirstWithAuth0Paging() {
        String type = recordEvents(5, null);
        String query = "api/v2/logs?q=" + encode("type:" + type);

        JsonNode totals = json(server.management("GET", query + "&include_totals=true&per_page=2", null));
        assertThat(totals.path("start").asInt()).isZero();
        assertThat(totals.path("limit").asInt()).isEqualTo(2);
        assertThat(totals.path("length").asInt()).isEqualTo(2);
        assertThat(totals.path("total").asInt()).isEqualTo(5);
        assertThat(totals.path("logs")).hasSize(2);

        List<String> descriptions = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode logs = json(server.management("GET", query + "&per_page=2&page=" + page, null));
            if (logs.isEmpty()) {
                break;
            }
            logs.forEach(l -> descriptions.add(l.path("description").asText()));
        }
        assertThat(descriptions).containsExactly("event 4", "event 3", "event 2", "event 1", "event 0");
        JsonNode ascending = json(server.management("GET", query + "&sort=" + encode("date:1"), null));
        assertThat(ascending.get(0).path("description").asText()).isEqualTo("event 0");
    }

    @Test
    void readsOneEntryInAuth0sLogShape() {
        String type = recordEvents(1, "auth0|0123456789abcdef01234567");
        JsonNode listed = json(server.management("GET", "api/v2/logs?q=type:" + type, null)).get(0);

        HttpResponse<String> response = server.management("GET", "api/v2/logs/" + listed.path("log_id").asText(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode log = json(response);
        assertThat(log.path("log_id").asText()).isEqualTo(listed.path("log_id").asText());
        assertThat(log.path("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(log.path("type").asText()).isEqualTo(type);
        assertThat(log.path("description").asText()).isEqualTo("event 0");
        assertThat(log.path("client_id").asText()).isEqualTo("cid");
        assertThat(log.path("client_name").asText()).isEqualTo("App");
        assertThat(log.path("user_id").asText()).isEqualTo("auth0|0123456789abcdef01234567");
        assertThat(log.path("user_name").asText()).isEqualTo("someone");
        assertThat(log.path("ip").asText()).isEqualTo("192.0.2.1");
        assertThat(log.path("details").path("n").asInt()).isZero();

        HttpResponse<String> missing = server.management("GET", "api/v2/logs/nope", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    void pagesByCheckpointWithFromAndTake() {
        String type = recordEvents(3, null);
        String query = "api/v2/logs?q=" + encode("type:" + type);
        JsonNode first = json(server.management("GET", query + "&take=2", null));
        assertThat(first).hasSize(2);
        assertThat(first.get(0).path("description").asText()).isEqualTo("event 0");
        JsonNode rest = json(server.management("GET", query + "&take=2&from=" + first.get(1).path("log_id").asText(), null));
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0).path("description").asText()).isEqualTo("event 2");
        assertThat(server.management("GET", query + "&take=0", null).statusCode()).isEqualTo(400);
    }

    @Test
    void listsAUsersLogs() {
        String userId = "auth0|" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        recordEvents(2, userId);
        JsonNode logs = json(server.management("GET", "api/v2/users/" + encode(userId) + "/logs?include_totals=true", null));
        assertThat(logs.path("total").asInt()).isEqualTo(2);
        assertThat(json(server.management("GET", "api/v2/logs?q=" + encode("user_id:\"" + userId + "\""), null))).hasSize(2);
    }

    @Test
    void refusesBadQueriesAndMissingScopes() {
        for (String query : List.of("q=" + encode("color:red"), "q=" + encode("type:s*"), "sort=" + encode("type:1"),
                "per_page=0", "include_totals=maybe")) {
            HttpResponse<String> response = server.management("GET", "api/v2/logs?" + query, null);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(json(response).path("errorCode").asText()).isEqualTo("invalid_query_string");
        }
        String token = tokenWithScopes(server, "read:users");
        HttpResponse<String> refused = call(server, token, "GET", "api/v2/logs", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).path("errorCode").asText()).isEqualTo("insufficient_scope");
        assertThat(call(server, tokenWithScopes(server, "read:logs"), "GET", "api/v2/logs", null).statusCode())
                .isEqualTo(200);
    }
}
