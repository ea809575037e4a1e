package dev.latchkey.server.oauth.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RBAC on user-delegated tokens (Auth0 §2.2): with {@code enforce_policies} on, the token's scope is the
 * requested scopes the user holds through a role or directly, the consent page asks for no more, and the
 * {@code *_authz} dialects list every permission the user holds for the API; off, nothing changes.
 */
class RbacTokensTest {

    static final String HEALTH = "https://example.com/health-api";
    static final String LAB = "https://example.com/lab-api";
    static final String OPEN = "https://example.com/open-api";
    static final String CALLBACK = "https://app.example.com/callback";
    static TestServer server;
    static String clientId;
    static String clientSecret;
    static String doctorRole;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Health API","enforce_policies":true,"token_dialect":"access_token_authz",
                 "scopes":[{"value":"read:patients","description":"Read patient records"},
                 {"value":"read:admin","description":"Read the admin console"}]}""".formatted(HEALTH));
        server.createApi("""
                {"identifier":"%s","name":"Lab API","enforce_policies":true,"token_dialect":"rfc9068_profile_authz",
                 "scopes":[{"value":"read:results"},{"value":"write:results"}]}""".formatted(LAB));
        server.createApi("""
                {"identifier":"%s","name":"Open API","enforce_policies":false,"token_dialect":"access_token_authz",
                 "scopes":[{"value":"read:things"}]}""".formatted(OPEN));
        JsonNode client = server.createClient("""
                {"name":"Clinic","app_type":"regular_web","is_first_party":false,"callbacks":["%s"],
                 "grant_types":["authorization_code","implicit","refresh_token"]}"""
                .formatted(CALLBACK));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        doctorRole = createRole("Doctor", HEALTH, "read:patients");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void userWithThePermissionByRoleGetsTheScope() throws Exception {
        User doctor = user("doctor1@example.com", doctorRole);

        JsonNode token = codeFlow(doctor, "openid profile read:patients read:admin", HEALTH);

        // Auth0 §2.2: scope = requested ∩ permissions; OIDC scopes are not permissions and pass through.
        assertThat(token.path("scope").asText()).isEqualTo("openid profile read:patients");
        JWTClaimsSet claims = claims(token);
        assertThat(claims.getStringClaim("scope")).isEqualTo("openid profile read:patients");
        assertThat(claims.getStringListClaim("permissions")).containsExactly("read:patients");
    }

    @Test
    void userWithoutThePermissionDoesNotGetItAndIsNotAskedForIt() throws Exception {
        User visitor = user("visitor@example.com", null);
        Browser browser = new Browser(server);
        browser.authorize(request("openid profile read:patients", HEALTH, "code"));
        HttpResponse<String> toConsent = browser.logIn(visitor.email(), TestUsers.PASSWORD);
        assertThat(toConsent.headers().firstValue("Location").orElseThrow()).contains("/u/consent?state=");

        HttpResponse<String> consent = browser.follow();
        assertThat(consent.body()).contains("Your profile").doesNotContain("read:patients")
                .doesNotContain("Read patient records");
        JsonNode token = exchange(Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept"))));

        assertThat(token.path("scope").asText()).isEqualTo("openid profile");
        assertThat(claims(token).getStringListClaim("permissions")).isEmpty();
    }

    @Test
    void directPermissionCountsAsARoleDoes() throws Exception {
        User admin = user("admin1@example.com", null);
        assertThat(server.management("POST", usersPath(admin, "permissions"), permissions(HEALTH,
                "read:admin")).statusCode()).isEqualTo(201);

        JsonNode token = codeFlow(admin, "openid read:patients read:admin", HEALTH);

        assertThat(token.path("scope").asText()).isEqualTo("openid read:admin");
        assertThat(claims(token).getStringListClaim("permissions")).containsExactly("read:admin");
    }

    @Test
    void permissionsClaimListsEveryHeldPermissionNotOnlyTheRequested() throws Exception {
        User both = user("both@example.com", doctorRole);
        server.management("POST", usersPath(both, "permissions"), permissions(HEALTH, "read:admin"));

        JsonNode token = codeFlow(both, "read:patients", HEALTH);

        assertThat(token.path("scope").asText()).isEqualTo("read:patients");
        // Auth0 §2.2: with *_authz, permissions holds all the user's permissions for the API.
        assertThat(claims(token).getStringListClaim("permissions")).containsExactly("read:admin", "read:patients");
    }

    @Test
    void rfc9068AuthzDialectCarriesPermissionsToo() throws Exception {
        String lab = createRole("Lab technician", LAB, "read:results");
        User technician = user("tech@example.com", lab);

        JsonNode token = codeFlow(technician, "read:results write:results", LAB);

        JWTClaimsSet claims = claims(token);
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:results");
        assertThat(claims.getStringListClaim("permissions")).containsExactly("read:results");
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
    }

    @Test
    void implicitTokenIsNarrowedAsWell() throws Exception {
        User doctor = user("doctor2@example.com", doctorRole);
        Browser browser = new Browser(server);
        Map<String, String> params = request("openid read:patients read:admin", HEALTH, "token");
        browser.authorize(params);
        browser.logIn(doctor.email(), TestUsers.PASSWORD);
        browser.follow();
        Map<String, String> fragment = Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept")));

        assertThat(fragment.get("scope")).isEqualTo("openid read:patients");
        JWTClaimsSet claims = SignedJWT.parse(fragment.get("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("permissions")).containsExactly("read:patients");
    }

    @Test
    void rbacOffGrantsEveryRequestedScopeAsBefore() throws Exception {
        User visitor = user("visitor2@example.com", null);

        JsonNode token = codeFlow(visitor, "openid read:things", OPEN);

        assertThat(token.path("scope").asText()).isEqualTo("openid read:things");
        assertThat(claims(token).getStringListClaim("permissions")).isEmpty();
    }

    @Test
    void removingTheRoleChangesTheNextTokenAndNotTheOldOne() throws Exception {
        String nurse = createRole("Nurse", HEALTH, "read:patients");
        User user = user("nurse@example.com", nurse);
        JsonNode before = codeFlow(user, "read:patients", HEALTH);
        assertThat(before.path("scope").asText()).isEqualTo("read:patients");

        assertThat(server.management("DELETE", usersPath(user, "roles"),
                "{\"roles\":[\"" + nurse + "\"]}").statusCode()).isEqualTo(204);
        JsonNode after = codeFlow(user, "read:patients", HEALTH);

        assertThat(after.path("scope").asText()).isEmpty();
        assertThat(claims(after).getStringListClaim("permissions")).isEmpty();
        // A JWT already issued keeps what it said.
        assertThat(claims(before).getStringListClaim("permissions")).containsExactly("read:patients");
    }

    @Test
    void removingAPermissionFromTheRoleOrDeletingTheRoleChangesTheNextToken() throws Exception {
        String ward = createRole("Ward", HEALTH, "read:patients", "read:admin");
        User user = user("ward@example.com", ward);
        assertThat(codeFlow(user, "read:patients read:admin", HEALTH).path("scope").asText())
                .isEqualTo("read:patients read:admin");

        server.management("DELETE", "api/v2/roles/" + ward + "/permissions", permissions(HEALTH, "read:admin"));
        assertThat(codeFlow(user, "read:patients read:admin", HEALTH).path("scope").asText())
                .isEqualTo("read:patients");

        assertThat(server.management("DELETE", "api/v2/roles/" + ward, null).statusCode()).isEqualTo(204);
        assertThat(codeFlow(user, "read:patients read:admin", HEALTH).path("scope").asText()).isEmpty();
    }

    @Test
    void removingAScopeFromTheApiTakesItOutOfTheNextTokenForGood() throws Exception {
        String scoped = "https://example.com/scoped-api";
        String apiId = server.createApi("""
                {"identifier":"%s","name":"Scoped API","enforce_policies":true,"token_dialect":"access_token_authz",
                 "scopes":[{"value":"read:a"},{"value":"read:b"}]}""".formatted(scoped)).path("id").asText();
        User user = user("scoped@example.com", createRole("Scoped", scoped, "read:a", "read:b"));
        assertThat(codeFlow(user, "read:a read:b", scoped).path("scope").asText()).isEqualTo("read:a read:b");

        String onlyA = "{\"scopes\":[{\"value\":\"read:a\"}]}";
        assertThat(server.management("PATCH", "api/v2/resource-servers/" + apiId, onlyA).statusCode()).isEqualTo(200);
        JsonNode without = codeFlow(user, "read:a read:b", scoped);
        assertThat(without.path("scope").asText()).isEqualTo("read:a");
        assertThat(claims(without).getStringListClaim("permissions")).containsExactly("read:a");

        // Defined again, the scope is not held again until a role or the user is given it anew.
        server.management("PATCH", "api/v2/resource-servers/" + apiId,
                "{\"scopes\":[{\"value\":\"read:a\"},{\"value\":\"read:b\"}]}");
        assertThat(codeFlow(user, "read:a read:b", scoped).path("scope").asText()).isEqualTo("read:a");
    }

    @Test
    void aCodeIssuedBeforeItsRoleIsDeletedExchangesWithoutWhatTheRoleGave() throws Exception {
        String temporary = createRole("Temporary", HEALTH, "read:patients");
        User user = user("temporary@example.com", temporary);
        Browser browser = new Browser(server);
        browser.authorize(request("read:patients", HEALTH, "code"));
        browser.logIn(user.email(), TestUsers.PASSWORD);
        browser.follow();
        Map<String, String> callback = Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept")));

        assertThat(server.management("DELETE", "api/v2/roles/" + temporary, null).statusCode()).isEqualTo(204);

        // Auth0 §2.2: permissions are read when a token is issued, so the code still exchanges but the
        // token no longer carries what the deleted role gave.
        JsonNode token = exchange(callback);
        assertThat(token.path("access_token").asText()).isNotEmpty();
        assertThat(token.path("scope").asText()).isEmpty();
        assertThat(codeFlow(user, "read:patients", HEALTH).path("scope").asText()).isEmpty();
    }

    @Test
    void machineTokensKeepFollowingClientGrants() {
        JsonNode machine = server.createClient("""
                {"name":"Machine","app_type":"non_interactive","grant_types":["client_credentials"]}""");
        server.grant(machine.path("client_id").asText(), HEALTH, "read:patients", "read:admin");

        JsonNode token = json(server.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + machine.path("client_id").asText() + "&client_secret=" + machine.path("client_secret").asText()
                + "&audience=" + HEALTH));

        assertThat(token.path("scope").asText()).isEqualTo("read:patients read:admin");
    }

    // --- helpers ---

    static String createRole(String name, String api, String... scopes) {
        HttpResponse<String> created = server.management("POST", "api/v2/roles", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).path("id").asText();
        HttpResponse<String> added = server.management("POST", "api/v2/roles/" + id + "/permissions",
                permissions(api, scopes));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        return id;
    }

    static String permissions(String api, String... scopes) {
        StringBuilder body = new StringBuilder("{\"permissions\":[");
        for (int i = 0; i < scopes.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"resource_server_identifier\":\"").append(api)
                    .append("\",\"permission_name\":\"").append(scopes[i]).append("\"}");
        }
        return body.append("]}").toString();
    }

    /** A new user, given {@code roleId} when not null. */
    static User user(String email, String roleId) {
        User user = TestUsers.create(server, email);
        if (roleId != null) {
            HttpResponse<String> assigned = server.management("POST", usersPath(user, "roles"),
                    "{\"roles\":[\"" + roleId + "\"]}");
            assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(204);
        }
        return user;
    }

    /** {@code api/v2/users/<id>/<what>}, the id encoded ({@code auth0|...}). */
    static String usersPath(User user, String what) {
        return "api/v2/users/" + ManagementCalls.encode(user.userId()) + "/" + what;
    }

    static Map<String, String> request(String scope, String audience, String responseType) {
        Map<String, String> params = Browser.authorizeParams(responseType, clientId, CALLBACK, scope, "st");
        params.put("audience", audience);
        params.put("nonce", "n");
        // Ask every time, so that each test sees the page whatever an earlier one remembered.
        params.put("prompt", "consent");
        return params;
    }

    /** Logs {@code user} in, accepts the consent page and exchanges the code; returns the token response. */
    static JsonNode codeFlow(User user, String scope, String audience) {
        Browser browser = new Browser(server);
        browser.authorize(request(scope, audience, "code"));
        HttpResponse<String> toConsent = browser.logIn(user.email(), TestUsers.PASSWORD);
        assertThat(toConsent.headers().firstValue("Location").orElseThrow()).contains("/u/consent?state=");
        browser.follow();
        return exchange(Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept"))));
    }

    static JsonNode exchange(Map<String, String> callback) {
        assertThat(callback).containsKey("code");
        HttpResponse<String> response = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + callback.get("code")
                + "&redirect_uri=" + CALLBACK);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static JWTClaimsSet claims(JsonNode token) throws ParseException {
        return SignedJWT.parse(token.path("access_token").asText()).getJWTClaimsSet();
    }
}
