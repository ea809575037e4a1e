package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Account linking through the Management API (Auth0 "Link a user account", "Unlink a user identity") against a
 * running server: the secondary's identity moves to the primary and logs the primary in, the secondary's
 * metadata and grants go with it, unlinking makes a user of the identity again; the user-initiated form with
 * {@code link_with}; and every refusal in Auth0's error shape.
 */
class AccountLinkingApiTest {

    static final String REALM_GRANT = "http://auth0.com/oauth/grant-type/password-realm";
    static final String REALM = "Username-Password-Authentication";

    static MovableClock clock;
    static TestServer server;
    static JsonNode app;
    static JsonNode otherApp;

    @BeforeAll
    static void start() {
        clock = MovableClock.startingNow();
        server = TestServer.start(clock);
        app = server.createClient("""
                {"name":"Linking app","app_type":"regular_web","grant_types":["%s","refresh_token"]}"""
                .formatted(REALM_GRANT));
        otherApp = server.createClient("""
                {"name":"Other app","app_type":"regular_web","grant_types":["%s"]}""".formatted(REALM_GRANT));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** Auth0's password-realm grant for {@code email} through {@code client}. */
    static JsonNode login(JsonNode client, String email, String scope, String audience) {
        HttpResponse<String> response = server.postForm("oauth/token", "grant_type=" + encode(REALM_GRANT)
                + "&client_id=" + client.path("client_id").asText()
                + "&client_secret=" + client.path("client_secret").asText()
                + "&username=" + encode(email) + "&password=" + encode(TestUsers.PASSWORD) + "&realm=" + REALM
                + "&scope=" + encode(scope) + (audience == null ? "" : "&audience=" + encode(audience)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static String subject(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> link(String primaryId, String body) {
        return server.management("POST", "api/v2/users/" + encode(primaryId) + "/identities", body);
    }

    static HttpResponse<String> unlink(String primaryId, String provider, String userId) {
        return server.management("DELETE", "api/v2/users/" + encode(primaryId) + "/identities/" + provider + "/"
                + encode(userId), null);
    }

    static void assertError(HttpResponse<String> response, int status, String errorCode, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("statusCode").asInt()).isEqualTo(status);
        assertThat(body.path("errorCode").asText()).isEqualTo(errorCode);
        assertThat(body.path("message").asText()).contains(message);
    }

    @Test
    void aLinkedSecondarysAccessTokenStopsWorkingAtOnce() {
        User primary = TestUsers.create(server, uniqueEmail("primary"));
        String secondaryEmail = uniqueEmail("secondary");
        User secondary = TestUsers.create(server, secondaryEmail);
        // Auth0: no audience, an opaque access token; introspecting it once leaves it in the node's cache.
        String accessToken = login(app, secondaryEmail, "openid", null).path("access_token").asText();
        assertThat(introspect(accessToken).path("active").asBoolean()).isTrue();

        HttpResponse<String> linked = link(primary.userId(), """
                {"provider":"auth0","user_id":"%s"}""".formatted(secondary.idWithinConnection()));
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);

        // The secondary is deleted with what it was issued, as a user deletion revokes it: RFC 7662 §2.2, a
        // revoked token is not active, from the moment of the link on, not once a cache entry expires.
        assertThat(introspect(accessToken).path("active").asBoolean()).isFalse();
    }

    private static JsonNode introspect(String token) {
        return json(server.postForm("oauth/introspect", "client_id=" + app.path("client_id").asText()
                + "&client_secret=" + app.path("client_secret").asText() + "&token=" + encode(token)));
    }

    @Test
    void aLinkedDatabaseUsersPasswordLogsThePrimaryInAndItsGrantsAndMetadataAreGone() {
        String primaryEmail = uniqueEmail("primary");
        String secondaryEmail = uniqueEmail("secondary");
        User primary = TestUsers.create(server, primaryEmail);
        User secondary = TestUsers.create(server, secondaryEmail);
        server.management("PATCH", "api/v2/users/" + encode(primary.userId()),
                "{\"user_metadata\":{\"theme\":\"dark\"},\"app_metadata\":{\"plan\":\"gold\"}}");
        server.management("PATCH", "api/v2/users/" + encode(secondary.userId()),
                "{\"user_metadata\":{\"theme\":\"light\",\"lang\":\"fr\"}}");
        String refreshToken = login(app, secondaryEmail, "openid offline_access", null).path("refresh_token").asText();

        HttpResponse<String> linked = link(primary.userId(), """
                {"provider":"auth0","user_id":"%s"}""".formatted(secondary.idWithinConnection()));

        // Auth0: 201 with the primary's identities, its own first, the secondary's attributes in profileData.
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        JsonNode identities = json(linked);
        assertThat(identities).hasSize(2);
        assertThat(identities.get(0).path("user_id").asText()).isEqualTo(primary.idWithinConnection());
        assertThat(identities.get(0).has("profileData")).isFalse();
        assertThat(identities.get(1).path("provider").asText()).isEqualTo("auth0");
        assertThat(identities.get(1).path("connection").asText()).isEqualTo(REALM);
        assertThat(identities.get(1).path("user_id").asText()).isEqualTo(secondary.idWithinConnection());
        assertThat(identities.get(1).path("profileData").path("email").asText()).isEqualTo(secondaryEmail);

        // Auth0: the secondary user is gone; the primary keeps its id and metadata, the secondary's is discarded.
        assertThat(server.management("GET", "api/v2/users/" + encode(secondary.userId()), null).statusCode())
                .isEqualTo(404);
        JsonNode read = json(server.management("GET", "api/v2/users/" + encode(primary.userId()), null));
        assertThat(read.path("identities")).hasSize(2);
        assertThat(read.path("user_metadata").toString()).isEqualTo("{\"theme\":\"dark\"}");
        assertThat(read.path("app_metadata").toString()).isEqualTo("{\"plan\":\"gold\"}");
        assertThat(read.path("email").asText()).isEqualTo(primaryEmail);

        // The secondary's password now logs the primary in; what was issued to the secondary is revoked.
        assertThat(subject(login(app, secondaryEmail, "openid", null).path("id_token").asText()))
                .isEqualTo(primary.userId());
        assertThat(subject(login(app, primaryEmail, "openid", null).path("id_token").asText()))
                .isEqualTo(primary.userId());
        HttpResponse<String> refreshed = server.postForm("oauth/token", "grant_type=refresh_token&client_id="
                + app.path("client_id").asText() + "&client_secret=" + app.path("client_secret").asText()
                + "&refresh_token=" + refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(403);
        assertThat(json(refreshed).path("error").asText()).isEqualTo("invalid_grant");
        // The email is held by the linked identity: no new user of the connection may take it.
        assertThat(server.management("POST", "api/v2/users", """
                {"connection":"%s","email":"%s","password":"%s"}""".formatted(REALM, secondaryEmail.toUpperCase(),
                TestUsers.PASSWORD)).statusCode()).isEqualTo(409);

        // Auth0: unlinking answers the identities left and makes a user of the identity again, with no metadata.
        HttpResponse<String> unlinked = unlink(primary.userId(), "auth0", secondary.idWithinConnection());
        assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
        assertThat(json(unlinked)).hasSize(1);
        assertThat(json(unlinked).get(0).path("user_id").asText()).isEqualTo(primary.idWithinConnection());
        JsonNode restored = json(server.management("GET", "api/v2/users/" + encode(secondary.userId()), null));
        assertThat(restored.path("email").asText()).isEqualTo(secondaryEmail);
        assertThat(restored.path("name").asText()).isEqualTo(secondary.name());
        assertThat(restored.path("user_metadata").toString()).isEqualTo("{}");
        assertThat(restored.path("identities")).hasSize(1);
        assertThat(subject(login(app, secondaryEmail, "openid", null).path("id_token").asText()))
                .isEqualTo(secondary.userId());
        assertThat(json(server.management("GET", "api/v2/users/" + encode(primary.userId()), null))
                .path("identities")).hasSize(1);

        // Auth0 logs both as Management API operations (sapi), described by their route.
        JsonNode logs = ManagementCalls.eventually(() -> json(server.management("GET", "api/v2/logs?per_page=100&q="
                + encode("type:sapi"), null)), found -> found.toString().contains("/identities/{provider}"));
        assertThat(logs.findValuesAsText("description")).contains("POST /api/v2/users/{id}/identities",
                "DELETE /api/v2/users/{id}/identities/{provider}/{user_id}");
    }

    @Test
    void theSecondaryMayBeNamedByItsWholeUserIdAndItsConnectionId() {
        User primary = TestUsers.create(server, uniqueEmail("whole"));
        User secondary = TestUsers.create(server, uniqueEmail("whole2"));
        String connectionId = json(server.management("GET", "api/v2/connections?name=" + REALM, null)).get(0)
                .path("id").asText();
        HttpResponse<String> linked = link(primary.userId(), """
                {"provider":"auth0","user_id":"%s","connection_id":"%s"}""".formatted(secondary.userId(),
                connectionId));
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        // Unlinking by the whole user id too (Auth0: "[provider]|" may come before the id).
        assertThat(unlink(primary.userId(), "auth0", secondary.userId()).statusCode()).isEqualTo(200);
    }

    @Test
    void aUserLinksAnotherAccountOfTheirOwnWithItsIdToken() {
        String primaryEmail = uniqueEmail("self");
        String secondaryEmail = uniqueEmail("self2");
        User primary = TestUsers.create(server, primaryEmail);
        User secondary = TestUsers.create(server, secondaryEmail);
        User stranger = TestUsers.create(server, uniqueEmail("stranger"));
        // Auth0 §7.1: a user's own Management API token, with update:current_user_identities.
        JsonNode own = login(app, primaryEmail, "openid update:current_user_identities read:users",
                server.managementAudience());
        assertThat(own.path("scope").asText()).isEqualTo("openid update:current_user_identities");
        String token = own.path("access_token").asText();
        String idToken = login(app, secondaryEmail, "openid", null).path("id_token").asText();

        // Only for the user the token was issued to, and only with link_with.
        assertError(ManagementCalls.call(server, token, "POST", "api/v2/users/" + encode(stranger.userId())
                + "/identities", "{\"link_with\":\"" + idToken + "\"}"), 403, "insufficient_scope",
                "update:current_user_identities");
        assertError(ManagementCalls.call(server, token, "POST", "api/v2/users/" + encode(primary.userId())
                + "/identities", "{\"provider\":\"auth0\",\"user_id\":\"" + secondary.idWithinConnection() + "\"}"),
                403, "insufficient_scope", "update:users");
        // Auth0: the ID token's aud must be the calling token's azp.
        String otherIdToken = login(otherApp, secondaryEmail, "openid", null).path("id_token").asText();
        assertError(ManagementCalls.call(server, token, "POST", "api/v2/users/" + encode(primary.userId())
                + "/identities", "{\"link_with\":\"" + otherIdToken + "\"}"), 400, "invalid_body", "azp");

        // Beyond Auth0: a third-party application receives its users' ID tokens too; holding its own user's token,
        // it could link any of them into an account it controls. A user's own token links only in a first-party one.
        JsonNode thirdParty = server.createClient("""
                {"name":"Third party","app_type":"regular_web","is_first_party":false,"grant_types":["%s"]}"""
                .formatted(REALM_GRANT));
        String thirdPartyToken = login(thirdParty, primaryEmail, "openid update:current_user_identities",
                server.managementAudience()).path("access_token").asText();
        String victimIdToken = login(thirdParty, secondaryEmail, "openid", null).path("id_token").asText();
        assertError(ManagementCalls.call(server, thirdPartyToken, "POST", "api/v2/users/" + encode(primary.userId())
                + "/identities", "{\"link_with\":\"" + victimIdToken + "\"}"), 403, "insufficient_scope",
                "first-party");

        HttpResponse<String> linked = ManagementCalls.call(server, token, "POST", "api/v2/users/"
                + encode(primary.userId()) + "/identities", "{\"link_with\":\"" + idToken + "\"}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        assertThat(json(linked).get(1).path("user_id").asText()).isEqualTo(secondary.idWithinConnection());

        // The same user unlinks it; not another user's.
        assertError(ManagementCalls.call(server, token, "DELETE", "api/v2/users/" + encode(stranger.userId())
                + "/identities/auth0/" + secondary.idWithinConnection(), null), 403, "insufficient_scope",
                "update:current_user_identities");
        assertThat(ManagementCalls.call(server, token, "DELETE", "api/v2/users/" + encode(primary.userId())
                + "/identities/auth0/" + secondary.idWithinConnection(), null).statusCode()).isEqualTo(200);
    }

    @Test
    void aLinkWithTokenMustBeAValidIdTokenOfThisServer() throws Exception {
        String primaryEmail = uniqueEmail("lw");
        String secondaryEmail = uniqueEmail("lw2");
        User primary = TestUsers.create(server, primaryEmail);
        User secondary = TestUsers.create(server, secondaryEmail);
        String token = login(app, primaryEmail, "openid update:current_user_identities",
                server.managementAudience()).path("access_token").asText();
        JsonNode secondaryTokens = login(app, secondaryEmail, "openid", server.managementAudience());
        String path = "api/v2/users/" + encode(primary.userId()) + "/identities";

        // An access token is not an ID token.
        assertError(ManagementCalls.call(server, token, "POST", path, "{\"link_with\":\""
                + secondaryTokens.path("access_token").asText() + "\"}"), 400, "invalid_body", "link_with");
        // Unsigned.
        JWTClaimsSet claims = SignedJWT.parse(secondaryTokens.path("id_token").asText()).getJWTClaimsSet();
        assertError(ManagementCalls.call(server, token, "POST", path, "{\"link_with\":\""
                + new PlainJWT(claims).serialize() + "\"}"), 400, "invalid_body", "RS256");
        // Signed by another key, and issued by another server.
        RSAKey foreign = new RSAKeyGenerator(2048).keyID("foreign").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("foreign").build(), claims);
        forged.sign(new RSASSASigner(foreign));
        assertError(ManagementCalls.call(server, token, "POST", path, "{\"link_with\":\"" + forged.serialize()
                + "\"}"), 400, "invalid_body", "not signed by this server");
        // Garbage.
        assertError(ManagementCalls.call(server, token, "POST", path, "{\"link_with\":\"not.a.jwt\"}"), 400,
                "invalid_body", "link_with");

        String linkWith = "{\"link_with\":\"" + secondaryTokens.path("id_token").asText() + "\"}";
        // Beyond Auth0: an unexpired ID token of a login more than 10 minutes old is refused (a leaked or kept one).
        refusedLater(Duration.ofMinutes(11), token, path, linkWith, "10 minutes");
        // Expired: the ID token lives 10 hours (jwt_configuration.lifetime_in_seconds), the access token 24.
        refusedLater(Duration.ofHours(11), token, path, linkWith, "expired");
        assertThat(server.management("GET", "api/v2/users/" + encode(secondary.userId()), null).statusCode())
                .isEqualTo(200);
    }

    /** {@code body} sent with {@code token} once the clock has moved on by {@code later}: a 400 saying {@code why}. */
    private static void refusedLater(Duration later, String token, String path, String body, String why) {
        clock.advance(later);
        try {
            assertError(ManagementCalls.call(server, token, "POST", path, body), 400, "invalid_body", why);
        } finally {
            clock.advance(later.negated());
        }
    }

    @Test
    void badLinksAreRefusedInAuth0sShape() {
        User primary = TestUsers.create(server, uniqueEmail("bad"));
        User secondary = TestUsers.create(server, uniqueEmail("bad2"));
        User third = TestUsers.create(server, uniqueEmail("bad3"));
        User blocked = TestUsers.create(server, uniqueEmail("blocked"), TestUsers.PASSWORD, true);
        String secondaryBody = "{\"provider\":\"auth0\",\"user_id\":\"" + secondary.idWithinConnection() + "\"}";

        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"" + primary.idWithinConnection()
                + "\"}"), 400, "invalid_body", "itself");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"nobody\"}"), 404,
                "inexistent_user", "secondary user does not exist");
        assertError(link("auth0|nobody", secondaryBody), 404, "inexistent_user", "does not exist");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"x\",\"link_with\":\"a.b.c\"}"),
                400, "invalid_body", "link_with cannot be sent with");
        assertError(link(primary.userId(), "{}"), 400, "invalid_body", "Missing required property");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\"}"), 400, "invalid_body", "user_id");
        assertError(link(primary.userId(), "{\"provider\":\"twitter\",\"user_id\":\"123\"}"), 400, "invalid_body",
                "provider twitter");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"" + "x".repeat(600) + "\"}"),
                400, "invalid_body", "too long");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"x\",\"merge\":true}"), 400,
                "invalid_body", "Additional properties");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"" + blocked.idWithinConnection()
                + "\"}"), 400, "invalid_body", "blocked");
        assertError(link(primary.userId(), "{\"provider\":\"auth0\",\"user_id\":\"" + secondary.idWithinConnection()
                + "\",\"connection_id\":\"con_0000000000000000\"}"), 404, "inexistent_user", "does not exist");
        String readOnly = ManagementCalls.tokenWithScopes(server, "read:users");
        assertError(ManagementCalls.call(server, readOnly, "POST", "api/v2/users/" + encode(primary.userId())
                + "/identities", secondaryBody), 403, "insufficient_scope", "update:users");

        assertThat(link(primary.userId(), secondaryBody).statusCode()).isEqualTo(201);
        // Linked already: the identity is the primary's now.
        assertError(link(third.userId(), secondaryBody), 400, "invalid_body", "already linked");
        // A user with identities linked into it cannot become a secondary.
        assertError(link(third.userId(), "{\"provider\":\"auth0\",\"user_id\":\"" + primary.idWithinConnection()
                + "\"}"), 400, "invalid_body", "has identities linked");
        // The primary's own identity stays; an identity it does not have is not found.
        assertError(unlink(primary.userId(), "auth0", primary.idWithinConnection()), 400, "invalid_body",
                "main identity");
        assertError(unlink(primary.userId(), "auth0", third.idWithinConnection()), 404, "inexistent_user",
                "no such identity");
        assertError(unlink(primary.userId(), "oidc", "x|" + "y".repeat(600)), 404, "inexistent_user",
                "no such identity");
        assertThat(json(server.management("GET", "api/v2/users/" + encode(primary.userId()), null))
                .path("identities")).hasSize(2);
    }

    @Test
    void theRoutesAreInTheOpenApiDocument() {
        JsonNode paths = json(server.get("api/v2/openapi.json")).path("paths");
        assertThat(paths.path("/users/{id}/identities").has("post")).isTrue();
        assertThat(paths.path("/users/{id}/identities/{provider}/{user_id}").has("delete")).isTrue();
        List<String> scopes = List.of("update:users", "update:current_user_identities");
        assertThat(paths.path("/users/{id}/identities").path("post").toString()).contains(scopes);
    }
}
