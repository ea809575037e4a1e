package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's API-side validator, npm {@code express-oauth2-jwt-bearer} 1.10.0, in front of an API with RBAC
 * ({@code enforce_policies: true}, {@code token_dialect: access_token_authz}): {@code auth()} verifies
 * Latchkey's tokens through discovery and the JWKS, then {@code requiredScopes} and
 * {@code claimIncludes('permissions', ...)} accept the user who holds the permission through a role and
 * refuse the one who does not (Auth0 §2.2).
 */
class ExpressJwtBearerPeerTest {

    private static final String HEALTH = "https://example.com/health-api";
    private static final String REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";

    @Test
    void rbacTokensPassOrFailTheScopeAndPermissionsChecks() throws Exception {
        NodePeers.require("express-oauth2-jwt-bearer");
        try (TestServer server = TestServer.start()) {
            server.createApi("""
                    {"identifier":"%s","name":"Health API","enforce_policies":true,"token_dialect":"access_token_authz",
                     "scopes":[{"value":"read:patients"},{"value":"read:admin"}]}""".formatted(HEALTH));
            JsonNode backend = server.createClient("""
                    {"name":"Clinic backend","app_type":"regular_web","grant_types":["%s"]}""".formatted(REALM_GRANT));
            String doctorRole = TestServer.json(server.management("POST", "api/v2/roles", "{\"name\":\"Doctor\"}"))
                    .path("id").asText();
            assertThat(server.management("POST", "api/v2/roles/" + doctorRole + "/permissions", """
                    {"permissions":[{"resource_server_identifier":"%s","permission_name":"read:patients"}]}"""
                    .formatted(HEALTH)).statusCode()).isEqualTo(201);
            User doctor = TestUsers.create(server, "doctor@example.com");
            assertThat(server.management("POST", "api/v2/users/" + ManagementCalls.encode(doctor.userId()) + "/roles",
                    "{\"roles\":[\"" + doctorRole + "\"]}").statusCode()).isEqualTo(204);
            TestUsers.create(server, "visitor@example.com");

            JsonNode granted = logIn(server, backend, "doctor@example.com");
            JsonNode refused = logIn(server, backend, "visitor@example.com");
            // Auth0 §2.2: with RBAC on, scope = requested ∩ the user's permissions for the API; with
            // access_token_authz, permissions lists all the user holds there (none for the visitor).
            // OIDC scopes are not permissions and pass through.
            assertThat(granted.path("scope").asText()).isEqualTo("openid read:patients");
            assertThat(refused.path("scope").asText()).isEqualTo("openid");

            Map<String, String> environment = new HashMap<>();
            environment.put("ISSUER", server.issuer());
            environment.put("AUDIENCE", HEALTH);
            environment.put("PERMISSION", "read:patients");
            environment.put("GRANTED", granted.path("access_token").asText());
            environment.put("REFUSED", refused.path("access_token").asText());
            NodePeers.Result result = NodePeers.run("express-jwt-bearer-rbac.mjs", environment, 60);

            assertThat(result.exitCode()).as(result.output()).isZero();
            JsonNode outcome = TestServer.JSON.readTree(result.output().lines()
                    .filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            assertThat(outcome.path("granted").toString())
                    .isEqualTo("{\"auth\":\"passed\",\"scope\":\"passed\",\"permissions\":\"passed\"}");
            JsonNode refusal = outcome.path("refused");
            assertThat(refusal.path("auth").asText()).isEqualTo("passed");
            // requiredScopes refuses a scope the token lacks: 403 insufficient_scope (RFC 6750 §3.1).
            JsonNode scope = refusal.path("scope");
            assertThat(scope.path("status").asInt()).isEqualTo(403);
            assertThat(scope.path("code").asText()).isEqualTo("insufficient_scope");
            assertThat(scope.path("message").asText()).isEqualTo("Insufficient Scope");
            assertThat(scope.path("challenge").asText()).contains("error=\"insufficient_scope\"")
                    .contains("scope=\"read:patients\"");
            // claimIncludes refuses a permissions claim without the value as the library answers any
            // failed claim check: 401 invalid_token. The claim is there (an empty array), not missing.
            JsonNode permissions = refusal.path("permissions");
            assertThat(permissions.path("status").asInt()).isEqualTo(401);
            assertThat(permissions.path("code").asText()).isEqualTo("invalid_token");
            assertThat(permissions.path("message").asText()).isEqualTo("Unexpected 'permissions' value");
        }
    }

    /** The password-realm grant for {@code HEALTH}, asking for {@code openid read:patients}. */
    private static JsonNode logIn(TestServer server, JsonNode client, String email) {
        HttpResponse<String> response = server.postForm("oauth/token", "grant_type=" + ManagementCalls.encode(REALM_GRANT)
                + "&client_id=" + client.path("client_id").asText()
                + "&client_secret=" + client.path("client_secret").asText()
                + "&realm=Username-Password-Authentication&username=" + ManagementCalls.encode(email)
                + "&password=" + ManagementCalls.encode(TestUsers.PASSWORD)
                + "&audience=" + ManagementCalls.encode(HEALTH) + "&scope=openid%20read%3Apatients");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }
}
