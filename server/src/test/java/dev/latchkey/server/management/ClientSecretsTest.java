package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.ManagementCalls.call;
import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.tokenWithScopes;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read and rotate client secrets. Auth0 "Management API scopes": {@code read:client_keys} reads
 * {@code client_secret} on {@code GET /clients}, {@code update:client_keys} allows
 * {@code POST /clients/{id}/rotate-secret}. Here a secret goes only to a caller that could already get every
 * token its client can get ({@link SecretAccess}).
 */
class ClientSecretsTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    private static JsonNode machineClient(String name) {
        return server.createClient("{\"name\":\"" + name + "\",\"app_type\":\"non_interactive\"}");
    }

    private static String newApi() {
        String identifier = "https://api-" + UUID.randomUUID() + ".example.com";
        server.createApi("{\"identifier\":\"" + identifier + "\",\"scopes\":[{\"value\":\"read:items\"},"
                + "{\"value\":\"write:items\"}]}");
        return identifier;
    }

    /** A token for the Management API of a client granted {@code scopes} there, and {@code apiScopes} on {@code api}. */
    private static String tokenOf(JsonNode client, String api, List<String> apiScopes, String... scopes) {
        String id = client.path("client_id").asText();
        server.grant(id, server.managementAudience(), scopes);
        if (api != null) {
            server.grant(id, api, apiScopes.toArray(String[]::new));
        }
        return json(server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + id
                + "&client_secret=" + client.path("client_secret").asText() + "&audience="
                + encode(server.managementAudience()))).path("access_token").asText();
    }

    @Test
    void readClientKeysAloneCannotReadTheBootstrapSecretButReadsAnOrdinaryOne() {
        String token = tokenWithScopes(server, "read:client_keys");
        JsonNode ordinary = machineClient("ordinary");

        HttpResponse<String> bootstrap = call(server, token, "GET", "api/v2/clients/" + server.bootstrapClientId(), null);
        assertManagementError(bootstrap, 403, "insufficient_scope");
        assertThat(json(bootstrap).path("message").asText()).contains("secret").doesNotContain(
                server.bootstrapClientSecret());

        JsonNode read = json(call(server, token, "GET", "api/v2/clients/" + ordinary.path("client_id").asText(), null));
        assertThat(read.path("client_secret").asText()).isEqualTo(ordinary.path("client_secret").asText());
    }

    @Test
    void listsShowOnlyTheSecretsTheCallerMayRead() {
        String token = tokenWithScopes(server, "read:client_keys");
        JsonNode ordinary = machineClient("listed");
        JsonNode clients = json(call(server, token, "GET", "api/v2/clients?per_page=100", null));
        for (JsonNode client : clients) {
            String id = client.path("client_id").asText();
            if (id.equals(server.bootstrapClientId())) {
                assertThat(client.has("client_secret")).isFalse();
            }
            if (id.equals(ordinary.path("client_id").asText())) {
                assertThat(client.path("client_secret").asText()).isEqualTo(ordinary.path("client_secret").asText());
            }
        }
        assertThat(clients.findValuesAsText("client_id")).contains(server.bootstrapClientId(),
                ordinary.path("client_id").asText());
    }

    @Test
    void withReadClientsTooTheBootstrapClientIsShownWithoutItsSecret() {
        String token = tokenWithScopes(server, "read:clients", "read:client_keys");
        HttpResponse<String> response = call(server, token, "GET", "api/v2/clients/" + server.bootstrapClientId(), null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).has("client_secret")).isFalse();
    }

    @Test
    void aSecretThatGivesAnotherApiNeedsTheCallerToReachThatApi() {
        String api = newApi();
        JsonNode payments = machineClient("payments");
        server.grant(payments.path("client_id").asText(), api, "read:items", "write:items");
        String path = "api/v2/clients/" + payments.path("client_id").asText();

        String keysOnly = tokenWithScopes(server, "read:client_keys");
        assertManagementError(call(server, keysOnly, "GET", path, null), 403, "insufficient_scope");

        String partly = tokenOf(machineClient("partly"), api, List.of("read:items"), "read:client_keys");
        assertManagementError(call(server, partly, "GET", path, null), 403, "insufficient_scope");

        String covering = tokenOf(machineClient("covering"), api, List.of("read:items", "write:items"),
                "read:client_keys");
        assertThat(json(call(server, covering, "GET", path, null)).path("client_secret").asText())
                .isEqualTo(payments.path("client_secret").asText());

        // It could grant itself any grant on another API, so that API's grants are within its reach.
        String granting = tokenWithScopes(server, "read:client_keys", "create:client_grants", "update:client_grants");
        assertThat(json(call(server, granting, "GET", path, null)).has("client_secret")).isTrue();
    }

    @Test
    void aSecretThatGivesManagementScopesNeedsTheCallerToHoldThem() {
        JsonNode reader = machineClient("reader of users");
        server.grant(reader.path("client_id").asText(), server.managementAudience(), "read:users");
        String path = "api/v2/clients/" + reader.path("client_id").asText();
        assertManagementError(call(server, tokenWithScopes(server, "read:client_keys"), "GET", path, null), 403,
                "insufficient_scope");
        assertThat(json(call(server, tokenWithScopes(server, "read:client_keys", "read:users"), "GET", path, null))
                .has("client_secret")).isTrue();
    }

    @Test
    void rotatingFollowsTheSameRule() {
        String keys = tokenWithScopes(server, "update:client_keys");
        assertManagementError(call(server, keys, "POST", "api/v2/clients/" + server.bootstrapClientId()
                + "/rotate-secret", null), 403, "insufficient_scope");
        JsonNode ordinary = machineClient("rotated by a key holder");
        JsonNode rotated = json(call(server, keys, "POST", "api/v2/clients/" + ordinary.path("client_id").asText()
                + "/rotate-secret", null));
        assertThat(rotated.path("client_secret").asText()).hasSize(64)
                .isNotEqualTo(ordinary.path("client_secret").asText());
    }

    @Test
    void createClientGrantsCannotGiveManagementScopesTheCallerLacks() {
        String token = tokenWithScopes(server, "create:client_grants", "update:client_grants", "read:clients");
        JsonNode target = machineClient("escalation target");
        String id = target.path("client_id").asText();
        HttpResponse<String> escalation = call(server, token, "POST", "api/v2/client-grants",
                "{\"client_id\":\"" + id + "\",\"audience\":\"" + server.managementAudience()
                        + "\",\"scope\":[\"read:clients\",\"read:client_keys\"]}");
        assertManagementError(escalation, 403, "insufficient_scope");
        assertThat(json(escalation).path("message").asText()).contains("read:client_keys");

        JsonNode held = json(call(server, token, "POST", "api/v2/client-grants", "{\"client_id\":\"" + id
                + "\",\"audience\":\"" + server.managementAudience() + "\",\"scope\":[\"read:clients\"]}"));
        assertManagementError(call(server, token, "PATCH", "api/v2/client-grants/" + held.path("id").asText(),
                "{\"scope\":[\"read:clients\",\"delete:clients\"]}"), 403, "insufficient_scope");
        // Another API's grants are what create:client_grants is for.
        String api = newApi();
        assertThat(call(server, token, "POST", "api/v2/client-grants", "{\"client_id\":\"" + id + "\",\"audience\":\""
                + api + "\",\"scope\":[\"read:items\",\"write:items\"]}").statusCode()).isEqualTo(201);
    }

    @Test
    void theBootstrapSecretRotatesIntoBootstrapJsonAndSurvivesARestart(@TempDir Path dataDir) throws IOException {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String clientId;
        String oldSecret;
        String newSecret;
        try (TestServer first = TestServer.start(s -> inDataDir(s, dataDir, url))) {
            clientId = first.bootstrapClientId();
            oldSecret = first.bootstrapClientSecret();
            JsonNode rotated = json(first.management("POST", "api/v2/clients/" + clientId + "/rotate-secret", null));
            newSecret = rotated.path("client_secret").asText();
            assertThat(newSecret).hasSize(64).isNotEqualTo(oldSecret);
            JsonNode file = TestServer.JSON.readTree(dataDir.resolve("bootstrap.json").toFile());
            assertThat(file.path("client_id").asText()).isEqualTo(clientId);
            assertThat(file.path("client_secret").asText()).isEqualTo(newSecret);
            assertThat(clientCredentials(first, clientId, oldSecret)).isEqualTo(401);
            assertThat(clientCredentials(first, clientId, newSecret)).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(s -> inDataDir(s, dataDir, url))) {
            assertThat(second.bootstrapClientSecret()).isEqualTo(newSecret);
            assertThat(clientCredentials(second, clientId, oldSecret)).isEqualTo(401);
            assertThat(clientCredentials(second, clientId, newSecret)).isEqualTo(200);
        }
        assertThat(Files.readString(dataDir.resolve("bootstrap.json"))).doesNotContain(oldSecret);
    }

    @Test
    void aBootstrapSecretFromTheEnvironmentIsRotatedThroughTheEnvironment() {
        String id = "envbootstrap" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String secret = "e".repeat(40);
        try (TestServer env = TestServer.start(s -> TestSettings.withBootstrapClient(s, id, secret))) {
            HttpResponse<String> refused = env.management("POST", "api/v2/clients/" + id + "/rotate-secret", null);
            assertManagementError(refused, 403, "operation_not_supported");
            assertThat(json(refused).path("message").asText()).contains("LATCHKEY_BOOTSTRAP_CLIENT_SECRET");
            assertThat(clientCredentials(env, id, secret)).isEqualTo(200);
        }
    }

    private static int clientCredentials(TestServer server, String id, String secret) {
        return server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + id + "&client_secret="
                + secret + "&audience=" + encode(server.managementAudience())).statusCode();
    }

    private static Settings inDataDir(Settings s, Path dataDir, String url) {
        return new Settings(s.port(), s.bind(), s.issuer(), dataDir, url, null, null, s.masterKey(),
                null, null, null, null, List.of(), null);
    }
}
