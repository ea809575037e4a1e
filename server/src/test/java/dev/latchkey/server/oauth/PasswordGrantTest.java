package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.BruteForceProtection;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password grants (RFC 6749 §4.3; Auth0 §1.4: {@code password} through the tenant's default directory,
 * {@code password-realm} through {@code realm}) over HTTP: what they issue, Auth0's refusals, the login page's
 * brute-force protection, and whose address counts ({@code auth0-forwarded-for}).
 */
class PasswordGrantTest {

    static final String REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
    static final String REALM = "Username-Password-Authentication";
    static final String API = "https://ropg.example.com/api";
    static TestServer server;
    /** Confidential, both password grants and refresh tokens, trusted to send auth0-forwarded-for. */
    static JsonNode trusted;
    /** Confidential with both password grants, not trusted with the header. */
    static JsonNode untrusted;
    /** Public (native) with the password-realm grant. */
    static JsonNode publicApp;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"ROPG API","scopes":[{"value":"read:notes"},{"value":"write:notes"}],
                 "allow_offline_access":true}""".formatted(API));
        trusted = server.createClient("""
                {"name":"Kiosk backend","app_type":"regular_web","is_token_endpoint_ip_header_trusted":true,
                 "grant_types":["password","%s","refresh_token"]}""".formatted(REALM_GRANT));
        untrusted = server.createClient("""
                {"name":"Plain backend","app_type":"regular_web","grant_types":["password","%s"]}"""
                .formatted(REALM_GRANT));
        publicApp = server.createClient("""
                {"name":"Native app","app_type":"native","grant_types":["%s"]}""".formatted(REALM_GRANT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String uniqueEmail() {
        return "ropg-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String uniqueIp() {
        int n = Math.abs(UUID.randomUUID().hashCode());
        return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
    }

    static Map<String, String> realmLogin(JsonNode client, String username, String password) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("grant_type", REALM_GRANT);
        params.put("client_id", client.path("client_id").asText());
        if (client.hasNonNull("client_secret")) {
            params.put("client_secret", client.path("client_secret").asText());
        }
        params.put("username", username);
        params.put("password", password);
        params.put("realm", REALM);
        return params;
    }

    static HttpResponse<String> token(Map<String, String> params, String forwardedFor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(params.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"))));
        if (forwardedFor != null) {
            request.header("auth0-forwarded-for", forwardedFor);
        }
        return server.send(request);
    }

    static HttpResponse<String> token(Map<String, String> params) {
        return token(params, null);
    }

    static void assertError(HttpResponse<String> response, int status, String error, String description) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").asText()).isEqualTo(error);
        assertThat(json(response).path("error_description").asText()).contains(description);
    }

    static JsonNode logs(String q) {
        return json(server.management("GET", "api/v2/logs?q=" + encode(q), null));
    }

    /** The trusted client's log events of {@code type} from {@code ip} (logs are not searchable by ip). */
    static List<JsonNode> trustedLogs(String type, String ip) {
        List<JsonNode> found = new ArrayList<>();
        logs("type:" + type + " AND client_id:\"" + trusted.path("client_id").asText() + "\"").forEach(event -> {
            if (event.path("ip").asText().equals(ip)) {
                found.add(event);
            }
        });
        return found;
    }

    @Test
    void passwordRealmGivesTheUsersTokensAsTheCodeFlowWouldWithGtyPassword() throws Exception {
        String email = uniqueEmail();
        User user = TestUsers.create(server, email);
        Map<String, String> params = realmLogin(trusted, email.toUpperCase(), TestUsers.PASSWORD);
        params.put("audience", API);
        params.put("scope", "openid email offline_access read:notes");

        HttpResponse<String> response = token(params, uniqueIp());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(86_400);
        assertThat(body.path("scope").asText()).isEqualTo("openid email offline_access read:notes");
        JWTClaimsSet access = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo(user.userId());
        // Auth0 §2.1: gty "password"; with openid the token is good at /userinfo too (Auth0 §1.4).
        assertThat(access.getStringClaim("gty")).isEqualTo("password");
        assertThat(access.getAudience()).containsExactly(API, server.issuer() + "userinfo");
        assertThat(access.getStringClaim("azp")).isEqualTo(trusted.path("client_id").asText());
        JWTClaimsSet id = SignedJWT.parse(body.path("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getSubject()).isEqualTo(user.userId());
        assertThat(id.getStringClaim("email")).isEqualTo(email);
        // Auth0 §1.4: offline_access and an API allowing offline access give a refresh token that refreshes.
        HttpResponse<String> refreshed = server.postForm("oauth/token", "grant_type=refresh_token&client_id="
                + trusted.path("client_id").asText() + "&client_secret=" + trusted.path("client_secret").asText()
                + "&refresh_token=" + encode(body.path("refresh_token").asText()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        HttpResponse<String> userinfo = server.send(HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + body.path("access_token").asText()).GET());
        assertThat(json(userinfo).path("sub").asText()).isEqualTo(user.userId());
        // Auth0's log events: sepft for the exchange, s for the login.
        JsonNode success = eventually(() -> logs("type:sepft AND user_id:\"" + user.userId() + "\""),
                l -> l.size() == 1);
        assertThat(success.get(0).path("client_id").asText()).isEqualTo(trusted.path("client_id").asText());
        assertThat(eventually(() -> logs("type:s AND user_id:\"" + user.userId() + "\""), l -> l.size() == 1))
                .hasSize(1);
    }

    @Test
    void withoutApiScopesEveryApiScopeIsGivenAndOpenidAloneGivesTheStandardScopes() throws Exception {
        // Auth0 §1.4 (ROPG): no API scope asked for, every API scope; only openid, every standard OIDC scope.
        String email = uniqueEmail();
        TestUsers.create(server, email);
        Map<String, String> params = realmLogin(trusted, email, TestUsers.PASSWORD);
        params.put("audience", API);
        JsonNode noScope = json(token(params, uniqueIp()));
        assertThat(noScope.path("scope").asText()).isEqualTo("read:notes write:notes");
        assertThat(noScope.has("id_token")).isFalse();
        assertThat(noScope.has("refresh_token")).isFalse();

        params.put("scope", "openid");
        JsonNode openid = json(token(params, uniqueIp()));
        assertThat(openid.path("scope").asText())
                .isEqualTo("openid profile email address phone read:notes write:notes");
        assertThat(openid.path("id_token").asText()).isNotEmpty();

        // Scopes the API does not define are dropped, not refused (as at /authorize).
        params.put("scope", "read:notes delete:everything");
        assertThat(json(token(params, uniqueIp())).path("scope").asText()).isEqualTo("read:notes");
    }

    @Test
    void withoutAnApiTheAccessTokenIsOpaqueAndGoodAtUserinfo() {
        // Auth0 §1.2: no audience, or /userinfo's, gives an opaque token for /userinfo only.
        String email = uniqueEmail();
        User user = TestUsers.create(server, email);
        for (String audience : new String[] {null, server.issuer() + "userinfo"}) {
            Map<String, String> params = realmLogin(trusted, email, TestUsers.PASSWORD);
            params.put("scope", "openid email");
            if (audience != null) {
                params.put("audience", audience);
            }
            JsonNode body = json(token(params, uniqueIp()));
            assertThat(body.path("access_token").asText()).as(body.toString()).doesNotContain(".");
            HttpResponse<String> userinfo = server.send(HttpRequest.newBuilder(server.uri("userinfo"))
                    .header("Authorization", "Bearer " + body.path("access_token").asText()).GET());
            assertThat(json(userinfo).path("sub").asText()).isEqualTo(user.userId());
            assertThat(json(userinfo).path("email").asText()).isEqualTo(email);
        }
    }

    @Test
    void plainPasswordUsesTheTenantsDefaultDirectoryAndIsRefusedWithoutOne() {
        String email = uniqueEmail();
        TestUsers.create(server, email);
        Map<String, String> params = realmLogin(trusted, email, TestUsers.PASSWORD);
        params.put("grant_type", "password");
        params.remove("realm");

        // Auth0 §1.4: without default_directory the password grant has no connection to use.
        assertError(token(params, uniqueIp()), 400, "invalid_request",
                "Authorization server not configured with default connection");
        // A realm sent with the plain grant (the Auth0 Java SDK's setRealm) is honoured.
        Map<String, String> withRealm = new LinkedHashMap<>(params);
        withRealm.put("realm", REALM);
        assertThat(token(withRealm, uniqueIp()).statusCode()).isEqualTo(200);

        server.management("PATCH", "api/v2/tenants/settings", "{\"default_directory\":\"" + REALM + "\"}");
        try {
            HttpResponse<String> response = token(params, uniqueIp());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(json(response).path("access_token").asText()).isNotEmpty();
        } finally {
            server.management("PATCH", "api/v2/tenants/settings", "{\"default_directory\":null}");
        }
    }

    @Test
    void wrongPasswordAndUnknownUserGetAuth0sSameAnswer() {
        String email = uniqueEmail();
        User user = TestUsers.create(server, email);
        String ip = uniqueIp();

        assertError(token(realmLogin(trusted, email, "Wrong-Passw0rd"), ip), 403, "invalid_grant",
                "Wrong email or password.");
        assertError(token(realmLogin(trusted, "nobody-" + email, TestUsers.PASSWORD), ip), 403, "invalid_grant",
                "Wrong email or password.");
        // Logged as Auth0 does: fepft for the exchange, fp (wrong password) and fu (unknown user) for the login.
        assertThat(eventually(() -> trustedLogs("fepft", ip), l -> l.size() == 2)).hasSize(2);
        assertThat(eventually(() -> logs("type:fp AND user_id:\"" + user.userId() + "\""), l -> l.size() == 1))
                .hasSize(1);
        assertThat(eventually(() -> trustedLogs("fu", ip), l -> l.size() == 1)).hasSize(1);
    }

    @Test
    void aBlockedUserIsRefusedWithUnauthorizedOnlyWithTheRightPassword() {
        String email = uniqueEmail();
        TestUsers.create(server, email, TestUsers.PASSWORD, true);
        String ip = uniqueIp();

        assertError(token(realmLogin(trusted, email, "Wrong-Passw0rd"), ip), 403, "invalid_grant",
                "Wrong email or password.");
        // Auth0: 401 unauthorized "user is blocked".
        assertError(token(realmLogin(trusted, email, TestUsers.PASSWORD), ip), 401, "unauthorized", "user is blocked");
    }

    @Test
    void aClientWithoutTheGrantIsRefused() {
        String email = uniqueEmail();
        TestUsers.create(server, email);
        JsonNode web = server.createClient("{\"name\":\"Code only\",\"app_type\":\"regular_web\"}");
        JsonNode plainOnly = server.createClient("""
                {"name":"Plain password only","app_type":"regular_web","grant_types":["password"]}""");

        // Auth0 §1.4: the grant must be in the client's grant_types (403 unauthorized_client).
        assertError(token(realmLogin(web, email, TestUsers.PASSWORD)), 403, "unauthorized_client",
                "Grant type '" + REALM_GRANT + "' not allowed for the client.");
        assertError(token(realmLogin(plainOnly, email, TestUsers.PASSWORD)), 403, "unauthorized_client",
                "not allowed for the client");
        Map<String, String> plain = realmLogin(web, email, TestUsers.PASSWORD);
        plain.put("grant_type", "password");
        assertError(token(plain), 403, "unauthorized_client", "Grant type 'password' not allowed for the client.");
        // RFC 6749 §5.2: a wrong client secret is invalid_client before anything about the user.
        Map<String, String> wrongSecret = realmLogin(trusted, email, TestUsers.PASSWORD);
        wrongSecret.put("client_secret", "not-the-secret");
        assertError(token(wrongSecret), 401, "invalid_client", "");
    }

    @Test
    void badInputIsRefusedWithInvalidRequestBeforeAnyPasswordIsChecked() {
        String email = uniqueEmail();
        TestUsers.create(server, email);
        String ip = uniqueIp();

        // RFC 6749 §4.3.2: username and password are REQUIRED; RFC 6749 §5.2: invalid_request.
        Map<String, String> noUsername = realmLogin(trusted, email, TestUsers.PASSWORD);
        noUsername.remove("username");
        assertError(token(noUsername, ip), 400, "invalid_request", "Missing required parameter: username");
        Map<String, String> noPassword = realmLogin(trusted, email, TestUsers.PASSWORD);
        noPassword.put("password", "");
        assertError(token(noPassword, ip), 400, "invalid_request", "Missing required parameter: password");
        Map<String, String> noRealm = realmLogin(trusted, email, TestUsers.PASSWORD);
        noRealm.remove("realm");
        assertError(token(noRealm, ip), 400, "invalid_request", "Missing required parameter: realm");
        Map<String, String> unknownRealm = realmLogin(trusted, email, TestUsers.PASSWORD);
        unknownRealm.put("realm", "No-Such-Connection");
        assertError(token(unknownRealm, ip), 400, "invalid_request",
                "invalid connection specified for password grant: No-Such-Connection");
        assertError(token(realmLogin(trusted, email, TestUsers.PASSWORD + "\u0000"), ip), 400, "invalid_request",
                "control characters");
        assertError(token(realmLogin(trusted, email, "x".repeat(10_240)), ip), 400, "invalid_request",
                "password is longer than 1000 characters");
        assertError(token(realmLogin(trusted, "a".repeat(400) + "@example.com", TestUsers.PASSWORD), ip), 400,
                "invalid_request", "username is longer than 320 characters");
        Map<String, String> unknownApi = realmLogin(trusted, email, TestUsers.PASSWORD);
        unknownApi.put("audience", "https://unknown.example/api");
        assertError(token(unknownApi, ip), 403, "access_denied", "Service not enabled within domain");
        // None of these was a failed login: the right password still works from that address at once.
        assertThat(token(realmLogin(trusted, email, TestUsers.PASSWORD), ip).statusCode()).isEqualTo(200);
        // Each refusal by the grant is logged as a failed exchange (the NUL byte is refused before any grant).
        assertThat(eventually(() -> trustedLogs("fepft", ip), l -> l.size() == 7)).hasSize(7);
        assertThat(trustedLogs("fp", ip)).isEmpty();
    }

    @Test
    void tenFailuresFromOneAddressBlockThatAddressForTheAccountWithTooManyAttempts() {
        String email = uniqueEmail();
        User user = TestUsers.create(server, email);
        String ip = uniqueIp();
        for (int i = 1; i < BruteForceProtection.PAIR_THRESHOLD; i++) {
            assertThat(token(realmLogin(trusted, email, "Wrong-Passw0rd"), ip).statusCode()).as("attempt " + i)
                    .isEqualTo(403);
        }
        // Auth0: the tenth failure blocks the user and address pair (429 too_many_attempts, log limit_wc).
        HttpResponse<String> tripped = token(realmLogin(trusted, email, "Wrong-Passw0rd"), ip);
        assertError(tripped, 429, "too_many_attempts", "Too many failed login attempts");
        assertThat(tripped.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow()).isPositive();
        assertError(token(realmLogin(trusted, email, TestUsers.PASSWORD), ip), 429, "too_many_attempts", "");
        assertThat(eventually(() -> logs("type:limit_wc AND user_id:\"" + user.userId() + "\""), l -> l.size() == 1))
                .hasSize(1);
        // Another address is not blocked; the login page's block is the same one (an unblock lifts both).
        assertThat(token(realmLogin(trusted, email, TestUsers.PASSWORD), uniqueIp()).statusCode()).isEqualTo(200);
        assertThat(server.management("DELETE", "api/v2/user-blocks/" + encode(user.userId()), null).statusCode())
                .isEqualTo(204);
        assertThat(token(realmLogin(trusted, email, TestUsers.PASSWORD), ip).statusCode()).isEqualTo(200);
    }

    @Test
    void theForwardedForHeaderIsIgnoredUnlessTheClientIsConfidentialAndTrusted() {
        // Auth0 §1.4: auth0-forwarded-for is honoured only for a client with is_token_endpoint_ip_header_trusted
        // that authenticates; others cannot spread guesses over made-up addresses.
        for (JsonNode client : new JsonNode[] {untrusted, publicApp}) {
            String email = uniqueEmail();
            User user = TestUsers.create(server, email);
            for (int i = 1; i < BruteForceProtection.PAIR_THRESHOLD; i++) {
                assertThat(token(realmLogin(client, email, "Wrong-Passw0rd"), uniqueIp()).statusCode())
                        .as("attempt " + i).isEqualTo(403);
            }
            assertError(token(realmLogin(client, email, "Wrong-Passw0rd"), uniqueIp()), 429, "too_many_attempts", "");
            assertError(token(realmLogin(client, email, TestUsers.PASSWORD), uniqueIp()), 429, "too_many_attempts",
                    "");
            // The block is on the real (loopback) address, which is what the log shows.
            JsonNode failures = eventually(() -> logs("type:fp AND user_id:\"" + user.userId() + "\""),
                    l -> l.size() == BruteForceProtection.PAIR_THRESHOLD);
            assertThat(failures.findValuesAsText("ip")).containsOnly("127.0.0.1");
            server.management("DELETE", "api/v2/user-blocks/" + encode(user.userId()), null);
        }
    }

    @Test
    void aTrustedClientsForwardedForMustBeOneIpAddress() {
        String email = uniqueEmail();
        TestUsers.create(server, email);
        for (String bad : new String[] {"203.0.113.5, 198.51.100.7", "not-an-address", "example.com"}) {
            assertError(token(realmLogin(trusted, email, TestUsers.PASSWORD), bad), 400, "invalid_request",
                    "auth0-forwarded-for must be a single IP address");
        }
        assertThat(token(realmLogin(trusted, email, TestUsers.PASSWORD), "2001:db8::7").statusCode()).isEqualTo(200);
    }

    @Test
    void aFloodFromOneAddressAcrossAccountsDoesNotLockOutAUserWithNoFailuresOfTheirOwn() {
        // As on the login page: past the per-address ceiling failures answer too_many_attempts, but the
        // right password of an account with no failures of its own still gets in (one address can be a NAT).
        String victim = uniqueEmail();
        TestUsers.create(server, victim);
        String ip = uniqueIp();
        for (int i = 1; i < BruteForceProtection.IP_CEILING; i++) {
            assertThat(token(realmLogin(trusted, uniqueEmail(), "Wrong-Passw0rd"), ip).statusCode())
                    .as("attempt " + i).isEqualTo(403);
        }
        assertError(token(realmLogin(trusted, uniqueEmail(), "Wrong-Passw0rd"), ip), 429, "too_many_attempts", "");
        assertThat(eventually(() -> trustedLogs("limit_mu", ip), l -> l.size() == 1)).hasSize(1);

        HttpResponse<String> response = token(realmLogin(trusted, victim, TestUsers.PASSWORD), ip);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aFloodAgainstOneAccountFromManyAddressesSlowsThatAccountOnly() {
        // OWASP ASVS 2.2.1: failures count per account whatever the address, as on the login page.
        String email = uniqueEmail();
        TestUsers.create(server, email);
        String bystander = uniqueEmail();
        TestUsers.create(server, bystander);
        for (int i = 1; i < BruteForceProtection.ACCOUNT_FREE_FAILURES; i++) {
            assertThat(token(realmLogin(trusted, email, "Wrong-Passw0rd"), uniqueIp()).statusCode())
                    .as("attempt " + i).isEqualTo(403);
        }
        assertError(token(realmLogin(trusted, email, "Wrong-Passw0rd"), uniqueIp()), 429, "too_many_attempts", "");
        assertThat(token(realmLogin(trusted, bystander, TestUsers.PASSWORD), uniqueIp()).statusCode()).isEqualTo(200);
    }
}
