package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.identity.BruteForceProtection;
import dev.latchkey.server.identity.LoginResult;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST/PATCH/DELETE /api/v2/connections} in Auth0's JSON: database connections whose options take
 * effect (password policy), upstream {@code oidc} connections whose client secret is never shown, and the
 * bad inputs Auth0 refuses.
 */
class ConnectionsApiTest {

    static TestServer server;
    static String clientId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        clientId = server.createClient("{\"name\":\"conn app\",\"app_type\":\"regular_web\",\"callbacks\":"
                + "[\"https://app.example.com/cb\"]}").path("client_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void createsReadsUpdatesAndDeletesAnOidcConnectionWithoutEverShowingItsSecret() {
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"corp-idp","strategy":"oidc","display_name":"Corp","enabled_clients":["%s"],
                 "metadata":{"team":"platform"},"show_as_button":true,
                 "options":{"issuer":"https://idp.example.com","client_id":"rp","client_secret":"s3cr3t-upstream"}}"""
                .formatted(clientId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode connection = json(created);
        String id = connection.path("id").asText();
        assertThat(id).startsWith("con_");
        assertThat(connection.path("strategy").asText()).isEqualTo("oidc");
        assertThat(connection.path("display_name").asText()).isEqualTo("Corp");
        assertThat(connection.path("enabled_clients").get(0).asText()).isEqualTo(clientId);
        assertThat(connection.path("metadata").path("team").asText()).isEqualTo("platform");
        assertThat(connection.path("realms").get(0).asText()).isEqualTo("corp-idp");
        assertThat(connection.path("options").path("scope").asText()).isEqualTo("openid profile email");
        assertThat(created.body()).doesNotContain("s3cr3t-upstream");
        assertThat(server.management("GET", "api/v2/connections/" + id, null).body()).doesNotContain("s3cr3t-upstream");
        assertThat(server.management("GET", "api/v2/connections", null).body()).doesNotContain("s3cr3t-upstream");

        // Auth0: PATCH replaces options; the secret, never shown, is kept when left out.
        HttpResponse<String> patched = server.management("PATCH", "api/v2/connections/" + id, """
                {"display_name":"Corporate","options":{"issuer":"https://idp.example.com","client_id":"rp2"}}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("display_name").asText()).isEqualTo("Corporate");
        assertThat(json(patched).path("options").path("client_id").asText()).isEqualTo("rp2");
        assertThat(patched.body()).doesNotContain("s3cr3t-upstream");

        // Auth0: name and strategy cannot change.
        assertManagementError(server.management("PATCH", "api/v2/connections/" + id, "{\"name\":\"other\"}"), 400,
                "invalid_body");

        assertThat(server.management("DELETE", "api/v2/connections/" + id, null).statusCode()).isEqualTo(204);
        assertManagementError(server.management("GET", "api/v2/connections/" + id, null), 404, "inexistent_connection");
        assertManagementError(server.management("DELETE", "api/v2/connections/" + id, null), 404,
                "inexistent_connection");
    }

    @Test
    void aDatabaseConnectionsPasswordPolicyTakesEffectAndItsUsersGoWithIt() {
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"strict-db","strategy":"auth0",
                 "options":{"passwordPolicy":"excellent","password_complexity_options":{"min_length":12},
                            "brute_force_protection":true,"disable_signup":true}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asText();
        // Auth0 "excellent" with min_length 12: a "good" 10-character password is too weak here.
        HttpResponse<String> weak = server.management("POST", "api/v2/users", """
                {"connection":"strict-db","email":"weak@example.com","password":"Abcdef12!x"}""");
        assertThat(weak.statusCode()).as(weak.body()).isEqualTo(400);
        assertThat(weak.body()).contains("PasswordStrengthError");
        HttpResponse<String> strong = server.management("POST", "api/v2/users", """
                {"connection":"strict-db","email":"strong@example.com","password":"Str0ng-Passw0rd-here"}""");
        assertThat(strong.statusCode()).as(strong.body()).isEqualTo(201);
        String userId = json(strong).path("user_id").asText();

        // A policy of none accepts what good refuses.
        HttpResponse<String> relaxed = server.management("PATCH", "api/v2/connections/" + id,
                "{\"options\":{\"passwordPolicy\":\"none\"}}");
        assertThat(relaxed.statusCode()).as(relaxed.body()).isEqualTo(200);
        assertThat(server.management("POST", "api/v2/users", """
                {"connection":"strict-db","email":"short@example.com","password":"abc"}""").statusCode()).isEqualTo(201);

        // Auth0: deleting a connection deletes its users.
        assertThat(server.management("DELETE", "api/v2/connections/" + id, null).statusCode()).isEqualTo(204);
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void bruteForceProtectionOffCountsNoFailuresOnItsConnection() {
        assertThat(server.management("POST", "api/v2/connections", """
                {"name":"open-db","strategy":"auth0","options":{"passwordPolicy":"good","brute_force_protection":false}}"""
        ).statusCode()).isEqualTo(201);
        assertThat(server.management("POST", "api/v2/users", """
                {"connection":"open-db","email":"open@example.com","password":"%s"}""".formatted(TestUsers.PASSWORD))
                .statusCode()).isEqualTo(201);
        var users = server.latchkey().users();
        // Auth0 brute_force_protection: false: no block after 10 failures from one IP.
        for (int i = 0; i < BruteForceProtection.PAIR_THRESHOLD + 2; i++) {
            assertThat(users.login("open-db", "open@example.com", "wrong", "203.0.113.9"))
                    .isInstanceOf(LoginResult.WrongCredentials.class);
        }
        assertThat(users.login("open-db", "open@example.com", TestUsers.PASSWORD, "203.0.113.9"))
                .isInstanceOf(LoginResult.Success.class);

        // Auth0: a connection other than the default serves only the clients it is enabled for.
        JsonNode kiosk = server.createClient("""
                {"name":"kiosk","app_type":"regular_web",
                 "grant_types":["http://auth0.com/oauth/grant-type/password-realm"]}""");
        String form = "grant_type=" + ManagementCalls.encode("http://auth0.com/oauth/grant-type/password-realm")
                + "&realm=open-db&username=open%40example.com&password=" + ManagementCalls.encode(TestUsers.PASSWORD)
                + "&client_id=" + kiosk.path("client_id").asText() + "&client_secret="
                + kiosk.path("client_secret").asText();
        HttpResponse<String> refused = server.postForm("oauth/token", form);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).path("error").asText()).isEqualTo("invalid_request");
        String id = json(server.management("GET", "api/v2/connections?name=open-db", null)).get(0).path("id").asText();
        assertThat(server.management("PATCH", "api/v2/connections/" + id + "/clients",
                "[{\"client_id\":\"" + kiosk.path("client_id").asText() + "\",\"status\":true}]").statusCode())
                .isEqualTo(204);
        assertThat(json(server.management("GET", "api/v2/connections/" + id + "/clients", null)).path("clients")
                .findValuesAsText("client_id")).containsExactly(kiosk.path("client_id").asText());
        HttpResponse<String> allowed = server.postForm("oauth/token", form);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
    }

    @Test
    void theDefaultDatabaseConnectionCannotBeDeleted() {
        String id = json(server.management("GET", "api/v2/connections?name=Username-Password-Authentication", null))
                .get(0).path("id").asText();
        TestUsers.create(server, "stays@example.com");
        assertManagementError(server.management("DELETE", "api/v2/connections/" + id, null), 403,
                "operation_not_supported");
        assertThat(server.management("GET", "api/v2/connections/" + id, null).statusCode()).isEqualTo(200);
    }

    @Test
    void createsOauth2AndSocialPresetConnectionsInAuth0sOptionNamesWithoutShowingTheirSecrets() {
        HttpResponse<String> custom = server.management("POST", "api/v2/connections", """
                {"name":"my-oauth2","strategy":"oauth2","enabled_clients":["%s"],
                 "options":{"client_id":"c","client_secret":"custom-s3cr3t","scope":"read:user email",
                  "authorizationURL":"https://provider.example/authorize","tokenURL":"https://provider.example/token",
                  "userInfoURL":"http://localhost:9999/me","pkce_enabled":false,
                  "fieldsMap":{"user_id":"data.id","picture":"avatar.url"}}}""".formatted(clientId));
        assertThat(custom.statusCode()).as(custom.body()).isEqualTo(201);
        assertThat(custom.body()).doesNotContain("custom-s3cr3t");
        JsonNode options = json(custom).path("options");
        assertThat(options.path("authorizationURL").asText()).isEqualTo("https://provider.example/authorize");
        assertThat(options.path("fieldsMap").path("user_id").asText()).isEqualTo("data.id");
        assertThat(options.path("pkce_enabled").asBoolean(true)).isFalse();

        // Auth0's social connections: client_id, client_secret, scope as an array; the preset knows the rest.
        HttpResponse<String> github = server.management("POST", "api/v2/connections", """
                {"name":"github","strategy":"github","enabled_clients":["%s"],
                 "options":{"client_id":"Iv1.abc","client_secret":"github-s3cr3t","scope":["read:user","user:email"]}}"""
                .formatted(clientId));
        assertThat(github.statusCode()).as(github.body()).isEqualTo(201);
        assertThat(github.body()).doesNotContain("github-s3cr3t");
        // The login page's label for a preset without a display name.
        assertThat(json(github).path("display_name").asText()).isEqualTo("GitHub");
        for (String strategy : new String[]{"google-oauth2", "facebook", "windowslive", "apple"}) {
            HttpResponse<String> preset = server.management("POST", "api/v2/connections", """
                    {"name":"%s","strategy":"%1$s","options":{"client_id":"id","client_secret":"secret"}}"""
                    .formatted(strategy));
            assertThat(preset.statusCode()).as(strategy + " " + preset.body()).isEqualTo(201);
        }
        // Their users' ids do not name the connection (github|<id>): a second GitHub connection (an Enterprise
        // host) would log its users into the first one's accounts, so there is one per preset.
        HttpResponse<String> second = server.management("POST", "api/v2/connections", """
                {"name":"github-enterprise","strategy":"github","options":{"client_id":"x","client_secret":"y",
                 "authorizationURL":"https://ghe.example/login/oauth/authorize"}}""");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(json(second).path("errorCode").asText()).isEqualTo("connection_conflict");
        String id = json(github).path("id").asText();
        // PATCH replaces options and keeps the secret; endpoints can be pointed elsewhere.
        HttpResponse<String> patched = server.management("PATCH", "api/v2/connections/" + id, """
                {"options":{"client_id":"Iv1.abc","tokenURL":"https://ghe.example/login/oauth/access_token"}}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("options").path("tokenURL").asText())
                .isEqualTo("https://ghe.example/login/oauth/access_token");
    }

    @Test
    void badOauth2AndSocialOptionsAreRefusedInAuth0sShape() {
        String urls = "\"authorizationURL\":\"https://p.example/a\",\"tokenURL\":\"https://p.example/t\","
                + "\"userInfoURL\":\"https://p.example/u\"";
        String[] bodies = {
            // no userInfoURL: Latchkey runs no fetchUserProfile script
            "{\"name\":\"o1\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + "\"authorizationURL\":\"https://p.example/a\",\"tokenURL\":\"https://p.example/t\"}}",
            // http off loopback
            "{\"name\":\"o2\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + urls.replace("https://p.example/t", "http://p.example/t") + "}}",
            // no client secret
            "{\"name\":\"o3\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\"," + urls + "}}",
            // not a profile attribute, and a path that is not a string
            "{\"name\":\"o4\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + urls + ",\"fieldsMap\":{\"app_metadata\":\"x\"}}}",
            "{\"name\":\"o5\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + urls + ",\"fieldsMap\":{\"user_id\":1}}}",
            "{\"name\":\"o6\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + urls + ",\"scope\":[1,2]}}",
            "{\"name\":\"o7\",\"strategy\":\"oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + urls + ",\"pkce_enabled\":\"no\"}}",
            "{\"name\":\"g1\",\"strategy\":\"github\",\"options\":{\"client_secret\":\"y\"}}",
            "{\"name\":\"g2\",\"strategy\":\"github\",\"options\":{\"client_id\":\"x\"}}",
            "{\"name\":\"g3\",\"strategy\":\"github\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + "\"userEmailsURL\":\"ftp://p.example/e\"}}",
            "{\"name\":\"g4\",\"strategy\":\"google-oauth2\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\","
                    + "\"issuer\":\"http://accounts.example.com\"}}",
        };
        for (String body : bodies) {
            HttpResponse<String> response = server.management("POST", "api/v2/connections", body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).path("statusCode").asInt()).isEqualTo(400);
        }
        // An unknown strategy names the supported ones.
        HttpResponse<String> unknown = server.management("POST", "api/v2/connections",
                "{\"name\":\"tw\",\"strategy\":\"twitter\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).path("message").asText()).contains("twitter").contains("oauth2").contains("github")
                .contains("google-oauth2");
    }

    @Test
    void badInputIsRefusedInAuth0sShape() {
        String[] bodies = {
            "{\"strategy\":\"auth0\"}",                                                  // no name
            "{\"name\":\"-bad-\",\"strategy\":\"auth0\"}",                               // Auth0's name pattern
            "{\"name\":\"a--b\",\"strategy\":\"auth0\"}",
            "{\"name\":\"" + "n".repeat(129) + "\",\"strategy\":\"auth0\"}",
            "{\"name\":\"ok1\",\"strategy\":\"samlp\"}",                                 // not supported here
            "{\"name\":\"ok2\",\"strategy\":\"auth0\",\"options\":{\"passwordPolicy\":\"weakest\"}}",
            "{\"name\":\"ok3\",\"strategy\":\"auth0\",\"options\":{\"password_complexity_options\":{\"min_length\":0}}}",
            "{\"name\":\"ok4\",\"strategy\":\"auth0\",\"options\":{\"brute_force_protection\":\"yes\"}}",
            "{\"name\":\"ok5\",\"strategy\":\"oidc\",\"options\":{\"issuer\":\"https://i.example.com\",\"client_id\":\"x\"}}",
            "{\"name\":\"ok6\",\"strategy\":\"oidc\",\"options\":{\"issuer\":\"http://idp.example.com\",\"client_id\":\"x\","
                    + "\"client_secret\":\"y\"}}",                                        // http off loopback
            "{\"name\":\"ok7\",\"strategy\":\"oidc\",\"options\":{\"client_id\":\"x\",\"client_secret\":\"y\"}}",
            "{\"name\":\"ok8\",\"strategy\":\"oidc\",\"options\":{\"issuer\":\"https://i.example.com\",\"client_id\":\"x\","
                    + "\"client_secret\":\"y\",\"type\":\"front_channel\"}}",
            "{\"name\":\"ok9\",\"strategy\":\"auth0\",\"enabled_clients\":[\"no-such-client\"]}",
            "{\"name\":\"ok10\",\"strategy\":\"auth0\",\"metadata\":{\"a\":1}}",
            "{\"name\":\"ok11\",\"strategy\":\"auth0\",\"metadata\":{\"a\":\"" + "x".repeat(256) + "\"}}",
            "{\"name\":\"ok12\",\"strategy\":\"auth0\",\"unknown\":true}",
            "[]",
        };
        for (String body : bodies) {
            HttpResponse<String> response = server.management("POST", "api/v2/connections", body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
            assertThat(json(response).path("statusCode").asInt()).isEqualTo(400);
        }
        assertThat(server.management("POST", "api/v2/connections",
                "{\"name\":\"twice\",\"strategy\":\"auth0\"}").statusCode()).isEqualTo(201);
        assertManagementError(server.management("POST", "api/v2/connections",
                "{\"name\":\"twice\",\"strategy\":\"auth0\"}"), 409, "connection_conflict");
    }

    @Test
    void writesNeedTheirScopes() {
        String reader = ManagementCalls.tokenWithScopes(server, "read:connections");
        assertManagementError(ManagementCalls.call(server, reader, "POST",
                "api/v2/connections", "{\"name\":\"x1\",\"strategy\":\"auth0\"}"), 403, "insufficient_scope");
        assertManagementError(ManagementCalls.call(server, reader, "DELETE",
                "api/v2/connections/con_x", null), 403, "insufficient_scope");
    }

}
