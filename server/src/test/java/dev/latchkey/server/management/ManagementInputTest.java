package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.ratelimit.RateLimits;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What every Management API call gets whatever it sends: no caching of the answer, and 400 for control characters. */
class ManagementInputTest {

    @AutoClose
    /** Hundreds of calls with one token in a second: above the Management API's default rate limit. */
    private static final TestServer server = TestServer.start(s -> TestSettings.withRateLimits(s,
            RateLimits.of(null, null, null, "10000,10000/s")));

    @Test
    void everyAnswerIsNoStoreErrorsIncluded() {
        // RFC 9111 §5.2.2.5: the answers hold client secrets, signing secrets and user data.
        List<HttpResponse<String>> answers = List.of(
                server.management("GET", "api/v2/clients", null),
                server.management("POST", "api/v2/clients", "{\"name\":\"cached?\"}"),
                server.management("GET", "api/v2/clients/nope", null),
                server.management("GET", "api/v2/nothing-here", null),
                server.management("POST", "api/v2/clients", "{"),
                server.send(HttpRequest.newBuilder(server.uri("api/v2/clients")).GET()));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().firstValue("Cache-Control")).as(answer.uri() + " " + answer.statusCode())
                    .hasValue("no-store");
        }
    }

    /** {@code @} in each template is replaced by a control character; every one must be a 400, never a 500. */
    @Test
    void controlCharactersInAnyFieldAre400() {
        JsonNode api = server.createApi("{\"identifier\":\"https://input.example.com\",\"scopes\":[{\"value\":\"read:x\"}]}");
        JsonNode client = server.createClient("{\"name\":\"input\",\"app_type\":\"non_interactive\"}");
        User user = TestUsers.create(server, "input@example.com");
        JsonNode role = json(server.management("POST", "api/v2/roles", "{\"name\":\"input\"}"));
        String connection = json(server.management("GET", "api/v2/connections", null)).get(0).path("id").asText();
        String clients = "api/v2/clients/" + client.path("client_id").asText();
        String apis = "api/v2/resource-servers/" + api.path("id").asText();
        String users = "api/v2/users/" + encode(user.userId());
        String roles = "api/v2/roles/" + role.path("id").asText();

        List<String[]> calls = new ArrayList<>();
        for (String body : List.of("{\"identifier\":\"https://a@.example.com\"}",
                "{\"identifier\":\"https://b.example.com\",\"name\":\"a@\"}",
                "{\"identifier\":\"https://c.example.com\",\"signing_alg\":\"HS256@\"}",
                "{\"identifier\":\"https://d.example.com\",\"signing_alg\":\"HS256\",\"signing_secret\":\"0123456789abcdef0123456789abcdef@\"}",
                "{\"identifier\":\"https://e.example.com\",\"token_dialect\":\"access_token@\"}",
                "{\"identifier\":\"https://f.example.com\",\"scopes\":[{\"value\":\"read:@\"}]}",
                "{\"identifier\":\"https://g.example.com\",\"scopes\":[{\"value\":\"read:y\",\"description\":\"d@\"}]}")) {
            calls.add(new String[] {"POST", "api/v2/resource-servers", body});
        }
        calls.add(new String[] {"PATCH", apis, "{\"name\":\"n@\"}"});
        for (String body : List.of("{\"name\":\"n@\"}", "{\"name\":\"n\",\"description\":\"d@\"}",
                "{\"name\":\"n\",\"app_type\":\"spa@\"}", "{\"name\":\"n\",\"token_endpoint_auth_method\":\"none@\"}",
                "{\"name\":\"n\",\"grant_types\":[\"implicit@\"]}", "{\"name\":\"n\",\"callbacks\":[\"https://a.example/@\"]}",
                "{\"name\":\"n\",\"allowed_logout_urls\":[\"https://a.example/@\"]}",
                "{\"name\":\"n\",\"web_origins\":[\"https://a@.example\"]}",
                "{\"name\":\"n\",\"allowed_origins\":[\"https://a@.example\"]}",
                "{\"name\":\"n\",\"client_metadata\":{\"k\":\"v@\"}}", "{\"name\":\"n\",\"client_metadata\":{\"k@\":\"v\"}}",
                "{\"name\":\"n\",\"jwt_configuration\":{\"alg\":\"RS256@\"}}",
                "{\"name\":\"n\",\"refresh_token\":{\"rotation_type\":\"rotating@\"}}")) {
            calls.add(new String[] {"POST", "api/v2/clients", body});
        }
        calls.add(new String[] {"PATCH", clients, "{\"name\":\"n@\"}"});
        calls.add(new String[] {"POST", "api/v2/client-grants", "{\"client_id\":\"c@\",\"audience\":\"a\",\"scope\":[]}"});
        calls.add(new String[] {"POST", "api/v2/client-grants", "{\"client_id\":\"" + client.path("client_id").asText()
                + "\",\"audience\":\"https://input.example.com@\",\"scope\":[]}"});
        calls.add(new String[] {"POST", "api/v2/client-grants", "{\"client_id\":\"" + client.path("client_id").asText()
                + "\",\"audience\":\"https://input.example.com\",\"scope\":[\"read:x@\"]}"});
        String newUser = "{\"connection\":\"Username-Password-Authentication\",\"email\":\"u%d@example.com\","
                + "\"password\":\"" + TestUsers.PASSWORD + "\",";
        int n = 0;
        for (String fields : List.of("\"name\":\"a@\"", "\"given_name\":\"a@\"", "\"family_name\":\"a@\"",
                "\"nickname\":\"a@\"", "\"user_id\":\"a@\"", "\"phone_number\":\"+1555@\"",
                "\"picture\":\"https://p.example/@\"", "\"user_metadata\":{\"a\":\"b@\"}",
                "\"app_metadata\":{\"a\":[{\"b@\":1}]}", "\"address\":{\"formatted\":\"x@\"}",
                "\"address\":{\"country\":\"x@\"}")) {
            calls.add(new String[] {"POST", "api/v2/users", newUser.formatted(n++) + fields + "}"});
        }
        calls.add(new String[] {"POST", "api/v2/users", "{\"connection\":\"Username-Password-Authentication@\","
                + "\"email\":\"v@example.com\",\"password\":\"" + TestUsers.PASSWORD + "\"}"});
        calls.add(new String[] {"POST", "api/v2/users", "{\"connection\":\"Username-Password-Authentication\","
                + "\"email\":\"w@example.com\",\"password\":\"pass@word-Long-enough-9\"}"});
        calls.add(new String[] {"PATCH", users, "{\"name\":\"a@\"}"});
        calls.add(new String[] {"PATCH", users, "{\"email\":\"x@@example.com\"}"});
        calls.add(new String[] {"POST", "api/v2/roles", "{\"name\":\"r@\"}"});
        calls.add(new String[] {"PATCH", roles, "{\"description\":\"d@\"}"});
        calls.add(new String[] {"POST", roles + "/users", "{\"users\":[\"u@\"]}"});
        calls.add(new String[] {"POST", users + "/roles", "{\"roles\":[\"r@\"]}"});
        calls.add(new String[] {"POST", roles + "/permissions", "{\"permissions\":[{\"resource_server_identifier\":"
                + "\"https://input.example.com\",\"permission_name\":\"read:@\"}]}"});
        calls.add(new String[] {"PATCH", "api/v2/tenants/settings", "{\"friendly_name\":\"t@\"}"});
        calls.add(new String[] {"PATCH", "api/v2/connections/" + connection + "/clients", "[{\"client_id\":\"c@\","
                + "\"status\":true}]"});

        for (String control : List.of("\\u0000", "\\u0007", "\\u001b", "\\u007f")) {
            for (String[] call : calls) {
                HttpResponse<String> response = server.management(call[0], call[1], call[2].replace("@", control));
                assertManagementError(response, 400, "invalid_body");
                assertThat(json(response).path("message").asText()).as(call[0] + " " + call[1] + " " + call[2])
                        .contains("control characters");
            }
        }
    }

    @Test
    void controlCharactersInQueryParametersAre400() {
        for (String query : List.of("api/v2/clients?page=%00", "api/v2/client-grants?client_id=a%00b",
                "api/v2/users?q=name%3A%22a%07b%22", "api/v2/logs?from=%1b", "api/v2/connections?name=x%00",
                "api/v2/users-by-email?email=a%00%40example.com", "api/v2/clients?a%00=1")) {
            HttpResponse<String> response = server.management("GET", query, null);
            assertManagementError(response, 400, "invalid_query_string");
        }
    }

    @Test
    void multiLineTextKeepsItsLineBreaks() {
        // OIDC Core §5.1.1: formatted and street_address may hold line breaks; descriptions may too.
        assertThat(server.management("POST", "api/v2/clients", "{\"name\":\"lines\",\"description\":\"one\\ntwo\\tthree\"}")
                .statusCode()).isEqualTo(201);
        assertThat(server.management("POST", "api/v2/users", "{\"connection\":\"Username-Password-Authentication\","
                + "\"email\":\"lines@example.com\",\"password\":\"" + TestUsers.PASSWORD + "\","
                + "\"address\":{\"street_address\":\"1 Main St\\nFlat 2\"},\"user_metadata\":{\"note\":\"a\\nb\"}}")
                .statusCode()).isEqualTo(201);
    }
}
