package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Management API answers reads of one client from memory (the token's checked signature, the client, its
 * grants and kept properties) and still refuses or answers exactly as if it read everything on each call: a
 * revoked grant's token at once, an expired token at once, a write through this node seen by the next read.
 */
class ManagementReadsFromMemoryTest {

    private static final MovableClock CLOCK = MovableClock.startingNow();

    @AutoClose
    private static final TestServer server = TestServer.start(CLOCK);

    @Test
    void aTokenWhoseClientGrantIsDeletedIsRefusedAtOnceThoughItWasJustUsed() {
        JsonNode caller = server.createClient("{\"name\":\"reader\",\"app_type\":\"non_interactive\"}");
        JsonNode grant = server.grant(caller.get("client_id").asText(), server.managementAudience(), "read:clients");
        String token = token(caller);
        String path = "api/v2/clients/" + caller.get("client_id").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(get(path, token).statusCode()).isEqualTo(200);
        }

        // RFC 7009 §2.1: a revoked grant's tokens stop working; Auth0: deleting the client grant does that.
        assertThat(server.management("DELETE", "api/v2/client-grants/" + grant.get("id").asText(), null).statusCode())
                .isEqualTo(204);

        HttpResponse<String> refused = get(path, token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get("message").asText()).isEqualTo("Revoked token");
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        JsonNode caller = server.createClient("{\"name\":\"expiring\",\"app_type\":\"non_interactive\"}");
        server.grant(caller.get("client_id").asText(), server.managementAudience(), "read:clients");
        HttpResponse<String> issued = server.postForm("oauth/token", form(caller));
        String token = json(issued).get("access_token").asText();
        long lifetime = json(issued).get("expires_in").asLong();
        String path = "api/v2/clients/" + caller.get("client_id").asText();
        assertThat(get(path, token).statusCode()).isEqualTo(200);

        // RFC 7519 §4.1.4: not accepted on or after its exp, by the server's clock.
        CLOCK.advance(Duration.ofSeconds(lifetime));
        HttpResponse<String> refused = get(path, token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).get("message").asText()).isEqualTo("Expired token");
    }

    @Test
    void aClientChangedThroughThisNodeIsReadBackChanged() {
        JsonNode client = server.createClient("{\"name\":\"before\",\"app_type\":\"regular_web\","
                + "\"logo_uri\":\"https://app.example.com/before.png\"}");
        String path = "api/v2/clients/" + client.get("client_id").asText();
        assertThat(json(server.management("GET", path, null)).get("name").asText()).isEqualTo("before");

        server.management("PATCH", path, "{\"name\":\"after\",\"logo_uri\":\"https://app.example.com/after.png\"}");

        JsonNode read = json(server.management("GET", path, null));
        assertThat(read.get("name").asText()).isEqualTo("after");
        assertThat(read.get("logo_uri").asText()).isEqualTo("https://app.example.com/after.png");

        server.management("DELETE", path, null);
        assertThat(server.management("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aGrantGivenThroughThisNodeCountsAtOnceForWhoMayReadASecret() {
        JsonNode caller = server.createClient("{\"name\":\"key reader\",\"app_type\":\"non_interactive\"}");
        server.grant(caller.get("client_id").asText(), server.managementAudience(), "read:clients",
                "read:client_keys");
        String token = token(caller);
        JsonNode target = server.createClient("{\"name\":\"target\",\"app_type\":\"non_interactive\"}");
        String path = "api/v2/clients/" + target.get("client_id").asText();
        assertThat(json(get(path, token)).has("client_secret")).as("no grants: readable").isTrue();

        // The target now holds a Management scope the caller lacks: its secret is beyond the caller's reach.
        server.grant(target.get("client_id").asText(), server.managementAudience(), "delete:clients");

        JsonNode read = json(get(path, token));
        assertThat(read.get("client_id").asText()).isEqualTo(target.get("client_id").asText());
        assertThat(read.has("client_secret")).isFalse();
    }

    @Test
    void aClientReadFromMemoryIsTheJsonItsWritesAnswerAndItsSecretIsOpenedPerRead() {
        JsonNode client = server.createClient("{\"name\":\"answered\",\"app_type\":\"regular_web\","
                + "\"logo_uri\":\"https://app.example.com/logo.png\",\"addons\":{\"samlp\":{\"audience\":\"urn:a\"}}}");
        String path = "api/v2/clients/" + client.get("client_id").asText();
        server.management("GET", path, null);

        // The same bytes as rotate-secret's answer (the whole client with its secret), and the new secret at once.
        HttpResponse<String> rotated = server.management("POST", path + "/rotate-secret", null);
        assertThat(server.management("GET", path, null).body()).isEqualTo(rotated.body());

        // A secret set through PATCH comes back escaped as a JSON string (RFC 8259 §7), the rest as PATCH answered.
        String secret = "a \"quoted\" \\ secret \u00e9\u2603 and then some more to reach the minimum";
        HttpResponse<String> patched = server.management("PATCH", path,
                Json.MAPPER.createObjectNode().put("client_secret", secret).put("name", "renamed").toString());
        HttpResponse<String> read = server.management("GET", path, null);
        assertThat(json(read)).isEqualTo(json(patched));
        assertThat(json(read).get("client_secret").asText()).isEqualTo(secret);
        assertThat(json(read).get("name").asText()).isEqualTo("renamed");
        assertThat(json(read).get("addons").get("samlp").get("audience").asText()).isEqualTo("urn:a");

        // Auth0: without read:client_keys the answer has no client_secret, and otherwise the same properties.
        JsonNode reader = server.createClient("{\"name\":\"plain reader\",\"app_type\":\"non_interactive\"}");
        server.grant(reader.get("client_id").asText(), server.managementAudience(), "read:clients");
        JsonNode withoutSecret = json(get(path, token(reader)));
        assertThat(withoutSecret.has("client_secret")).isFalse();
        assertThat(withoutSecret).isEqualTo(((ObjectNode) json(read).deepCopy())
                .without("client_secret"));
    }

    private static String token(JsonNode client) {
        return json(server.postForm("oauth/token", form(client))).get("access_token").asText();
    }

    private static String form(JsonNode client) {
        return "grant_type=client_credentials&client_id=" + client.get("client_id").asText() + "&client_secret="
                + client.get("client_secret").asText() + "&audience=" + server.managementAudience();
    }

    private static HttpResponse<String> get(String path, String token) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token));
    }
}
