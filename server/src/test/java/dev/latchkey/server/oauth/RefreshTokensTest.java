package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.oauth.authorize.AuthorizationIssuer;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.CodeFlow;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh tokens from the code flow to revocation (RFC 6749 §6, RFC 7009, RFC 7662, Auth0 §4.2, §8.2),
 * with time moved by the server's clock rather than waited for.
 */
class RefreshTokensTest {

    static final String API = "https://refresh.example.com/api";
    static final String CALLBACK = "https://app.example.com/callback";
    static final MovableClock CLOCK = MovableClock.startingNow();
    static TestServer server;
    static String webId;
    static String webSecret;
    static String rotatingId;
    static String rotatingSecret;
    static String spaId;
    static String otherId;
    static String otherSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createApi("""
                {"identifier":"%s","name":"Refresh API","scopes":[{"value":"read:things"},{"value":"write:things"}],
                 "allow_offline_access":true,"skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
        JsonNode web = server.createClient("""
                {"name":"Web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        webId = web.path("client_id").asText();
        webSecret = web.path("client_secret").asText();
        JsonNode rotating = server.createClient("""
                {"name":"Rotating web","app_type":"regular_web","callbacks":["%s"],
                 "refresh_token":{"rotation_type":"rotating","expiration_type":"expiring","leeway":30,
                 "token_lifetime":86400,"idle_token_lifetime":3600,
                 "infinite_token_lifetime":false,"infinite_idle_token_lifetime":false}}""".formatted(CALLBACK));
        rotatingId = rotating.path("client_id").asText();
        rotatingSecret = rotating.path("client_secret").asText();
        spaId = server.createClient("""
                {"name":"SPA","app_type":"spa","callbacks":["%s"]}""".formatted(CALLBACK)).path("client_id").asText();
        JsonNode other = server.createClient("""
                {"name":"Other","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        otherId = other.path("client_id").asText();
        otherSecret = other.path("client_secret").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Logs a new user in with the code flow and answers the token response. */
    static JsonNode logIn(String email, String clientId, String secret, String scope, String audience) {
        return CodeFlow.logInNewUser(server, email, clientId, secret, CALLBACK, scope, audience);
    }

    static HttpResponse<String> refresh(String clientId, String secret, String refreshToken, String scope) {
        return server.postForm("oauth/token", "grant_type=refresh_token&client_id=" + clientId
                + (secret == null ? "" : "&client_secret=" + secret) + "&refresh_token=" + enc(refreshToken)
                + (scope == null ? "" : "&scope=" + enc(scope)));
    }

    static HttpResponse<String> revoke(String clientId, String secret, String token) {
        return server.postForm("oauth/revoke", "client_id=" + clientId + "&client_secret=" + secret
                + "&token=" + enc(token));
    }

    static JsonNode introspect(String token) {
        HttpResponse<String> response = server.postForm("oauth/introspect", "client_id=" + otherId
                + "&client_secret=" + otherSecret + "&token=" + enc(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static HttpResponse<String> userinfo(String accessToken) {
        return server.send(HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void offlineAccessGivesARefreshTokenThatGetsFreshTokensWithoutRotating() throws Exception {
        // Auth0 §1.4: offline_access and an API that allows offline access.
        JsonNode first = logIn("nonrot@example.com", webId, webSecret, "openid offline_access read:things", API);
        String refreshToken = first.path("refresh_token").asText();
        assertThat(refreshToken).hasSizeGreaterThanOrEqualTo(43);

        HttpResponse<String> refreshed = refresh(webId, webSecret, refreshToken, null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode body = json(refreshed);
        // Auth0 §1.4: a refresh answer has scope; no new refresh token without rotation; a new ID token with openid.
        assertThat(body.path("scope").asText()).isEqualTo("openid offline_access read:things");
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.path("id_token").asText()).isNotEmpty();
        JWTClaimsSet access = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(access.getAudience()).contains(API);
        // Non-rotating: the same token keeps working.
        assertThat(refresh(webId, webSecret, refreshToken, null).statusCode()).isEqualTo(200);
    }

    @Test
    void noOfflineAccessNoRefreshTokenAndAnApiWithoutOfflineAccessGivesNone() {
        JsonNode plain = logIn("plain@example.com", webId, webSecret, "openid read:things", API);
        assertThat(plain.has("refresh_token")).isFalse();
        // No audience: a refresh token for /userinfo (Auth0 §1.4).
        JsonNode userinfoOnly = logIn("nouaud@example.com", webId, webSecret, "openid offline_access", null);
        assertThat(userinfoOnly.path("refresh_token").asText()).isNotEmpty();
        JsonNode refreshed = json(refresh(webId, webSecret, userinfoOnly.path("refresh_token").asText(), null));
        assertThat(userinfo(refreshed.path("access_token").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void narrowingIsAllowedWideningIsNot() throws Exception {
        String refreshToken = logIn("narrow@example.com", webId, webSecret, "openid offline_access read:things",
                API).path("refresh_token").asText();
        // RFC 6749 §6: a subset of the original scope.
        HttpResponse<String> narrowed = refresh(webId, webSecret, refreshToken, "read:things");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        assertThat(json(narrowed).path("scope").asText()).isEqualTo("read:things");
        assertThat(json(narrowed).has("id_token")).isFalse();
        HttpResponse<String> wider = refresh(webId, webSecret, refreshToken, "read:things write:things");
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(json(wider).path("error").asText()).isEqualTo("invalid_scope");
        // The original scope is whole again on the next refresh.
        assertThat(json(refresh(webId, webSecret, refreshToken, null)).path("scope").asText())
                .isEqualTo("openid offline_access read:things");
    }

    @Test
    void aRefusedWideningSpendsNoRotatingToken() {
        String token = logIn("widen@example.com", rotatingId, rotatingSecret, "openid offline_access read:things",
                API).path("refresh_token").asText();
        // RFC 6749 §6: widening is refused before the token is exchanged, so it is not used up...
        HttpResponse<String> wider = refresh(rotatingId, rotatingSecret, token, "read:things write:things");
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(json(wider).path("error").asText()).isEqualTo("invalid_scope");
        // ...and far outside the leeway its first exchange still succeeds, narrowed or not.
        CLOCK.advance(Duration.ofMinutes(5));
        HttpResponse<String> narrowed = refresh(rotatingId, rotatingSecret, token, "read:things");
        assertThat(narrowed.statusCode()).as(narrowed.body()).isEqualTo(200);
        HttpResponse<String> next = refresh(rotatingId, rotatingSecret,
                json(narrowed).path("refresh_token").asText(), null);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        // RFC 6749 §6: the successor keeps the original scope, not the narrowed one.
        assertThat(json(next).path("scope").asText()).isEqualTo("openid offline_access read:things");
    }

    @Test
    void turningRotationOnAndOffMovesTheUsersTokensAlong() {
        JsonNode app = server.createClient("""
                {"name":"Switching web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        String id = app.path("client_id").asText();
        String secret = app.path("client_secret").asText();
        String scope = "openid offline_access read:things";
        String first = logIn("switch@example.com", id, secret, scope, API).path("refresh_token").asText();
        String second = CodeFlow.logIn(server, "switch@example.com", id, secret, CALLBACK, scope, API)
                .path("refresh_token").asText();
        String forUserinfo = CodeFlow.logIn(server, "switch@example.com", id, secret, CALLBACK, scope, null)
                .path("refresh_token").asText();

        // Auth0 §4.2, rotation turned on: exchanging a non-rotating token gives a rotating one and
        // deletes the user's other non-rotating tokens for this client and API.
        assertThat(server.management("PATCH", "api/v2/clients/" + id,
                "{\"refresh_token\":{\"rotation_type\":\"rotating\",\"leeway\":0}}").statusCode()).isEqualTo(200);
        HttpResponse<String> turned = refresh(id, secret, first, null);
        assertThat(turned.statusCode()).as(turned.body()).isEqualTo(200);
        String rotating = json(turned).path("refresh_token").asText();
        assertThat(rotating).isNotEmpty();
        assertThat(refresh(id, secret, first, null).statusCode()).isEqualTo(403);
        assertThat(refresh(id, secret, second, null).statusCode()).isEqualTo(403);
        // A token for another audience (here /userinfo) is not the same API's: it stays.
        assertThat(refresh(id, secret, forUserinfo, null).statusCode()).isEqualTo(200);
        String rotated = json(refresh(id, secret, rotating, null)).path("refresh_token").asText();
        assertThat(rotated).isNotEmpty();

        // Rotation turned off: exchanging a rotating token gives a non-rotating one, and the rotating
        // family is revoked (the exchanged tokens are no longer recognised as reuse).
        assertThat(server.management("PATCH", "api/v2/clients/" + id,
                "{\"refresh_token\":{\"rotation_type\":\"non-rotating\"}}").statusCode()).isEqualTo(200);
        HttpResponse<String> off = refresh(id, secret, rotated, null);
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        String lasting = json(off).path("refresh_token").asText();
        assertThat(lasting).isNotEmpty();
        assertThat(refresh(id, secret, lasting, null).statusCode()).isEqualTo(200);
        assertThat(json(refresh(id, secret, lasting, null)).has("refresh_token")).isFalse();
        HttpResponse<String> old = refresh(id, secret, rotating, null);
        assertThat(old.statusCode()).isEqualTo(403);
        // Unknown rather than reuse: the family is gone, so the new token survives the attempt.
        assertThat(refresh(id, secret, lasting, null).statusCode()).isEqualTo(200);
    }

    @Test
    void introspectionGivesARefreshTokensIdleExpiryNotHowLongItsRowIsKept() {
        String token = logIn("exp@example.com", rotatingId, rotatingSecret, "openid offline_access", API)
                .path("refresh_token").asText();
        // RFC 7662 §2.2: exp is when the token stops being usable: here its idle lifetime (3600 s), not the
        // 30 days its row is kept beyond that for reuse detection.
        JsonNode answer = json(server.postForm("oauth/introspect", "client_id=" + rotatingId + "&client_secret="
                + rotatingSecret + "&token=" + enc(token)));
        assertThat(answer.path("active").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.path("exp").asLong() - answer.path("iat").asLong()).isEqualTo(3_600);
    }

    @Test
    void rotationGivesASuccessorAndReuseRevokesTheFamily() throws Exception {
        String first = logIn("rotate@example.com", rotatingId, rotatingSecret, "openid offline_access read:things",
                API).path("refresh_token").asText();
        JsonNode second = json(refresh(rotatingId, rotatingSecret, first, null));
        String successor = second.path("refresh_token").asText();
        assertThat(successor).isNotEmpty().isNotEqualTo(first);
        String accessToken = second.path("access_token").asText();
        assertThat(introspect(accessToken).path("active").asBoolean()).isTrue();

        // Auth0 §4.2: within the leeway the previous token may be used again without tripping detection.
        CLOCK.advance(Duration.ofSeconds(10));
        HttpResponse<String> withinLeeway = refresh(rotatingId, rotatingSecret, first, null);
        assertThat(withinLeeway.statusCode()).as(withinLeeway.body()).isEqualTo(200);

        // Outside it, reuse revokes the family and the grant: the successor fails too (RFC 9700 §4.14.2).
        CLOCK.advance(Duration.ofSeconds(60));
        HttpResponse<String> reused = refresh(rotatingId, rotatingSecret, first, null);
        assertThat(reused.statusCode()).isEqualTo(403);
        assertThat(json(reused).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(refresh(rotatingId, rotatingSecret, successor, null).statusCode()).isEqualTo(403);
        // Beyond Auth0: the access tokens of the revoked grant are inactive at once.
        assertThat(introspect(accessToken).path("active").asBoolean()).isFalse();
        String query = "api/v2/logs?q=" + ManagementCalls.encode("type:ferrt AND client_id:\"" + rotatingId + "\"");
        JsonNode logs = ManagementCalls.eventually(() -> json(server.management("GET", query, null)),
                l -> l.size() > 0);
        assertThat(logs.get(0).path("type").asText()).isEqualTo("ferrt");
    }

    @Test
    void aRotatingTokenIsOneFamilyRowWhoseEarlierTokensAreAllRecognisedAsReuse() throws Exception {
        // The embedded database is this node's alone: rotating tokens take the family form at once.
        String first = logIn("family@example.com", rotatingId, rotatingSecret, "offline_access read:things", API)
                .path("refresh_token").asText();
        assertThat(first).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        String lookup = first.substring(0, first.indexOf('.') + 1);
        String second = json(refresh(rotatingId, rotatingSecret, first, null)).path("refresh_token").asText();
        String third = json(refresh(rotatingId, rotatingSecret, second, null)).path("refresh_token").asText();
        JsonNode last = json(refresh(rotatingId, rotatingSecret, third, null));
        String fourth = last.path("refresh_token").asText();
        assertThat(second).startsWith(lookup);
        assertThat(fourth).startsWith(lookup).isNotEqualTo(third);
        // One token per family for the Management API, however often it rotated.
        String userId = SignedJWT.parse(last.path("access_token").asText()).getJWTClaimsSet().getSubject();
        JsonNode listed = json(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId)
                + "/refresh-tokens", null));
        assertThat(listed.path("tokens").size()).isEqualTo(1);

        // RFC 9700 §4.14.2: a token two exchanges back is no longer kept as a digest, but it still names the
        // family: whoever holds it held a token of the family. Reuse, outside any leeway: the family goes.
        CLOCK.advance(Duration.ofSeconds(5));
        HttpResponse<String> older = refresh(rotatingId, rotatingSecret, first, null);
        assertThat(older.statusCode()).isEqualTo(403);
        assertThat(json(older).path("error_description").asText()).contains("already used");
        assertThat(refresh(rotatingId, rotatingSecret, fourth, null).statusCode()).isEqualTo(403);
    }

    @Test
    void withinTheLeewayThePreviousFamilyTokenGetsATokenOfItsOwnAndBothStayGood() {
        String first = logIn("leeway-family@example.com", rotatingId, rotatingSecret, "offline_access read:things",
                API).path("refresh_token").asText();
        // Two tabs exchange the same token within the leeway (30 s): each gets a token, and each keeps working.
        String tabOne = json(refresh(rotatingId, rotatingSecret, first, null)).path("refresh_token").asText();
        CLOCK.advance(Duration.ofSeconds(3));
        HttpResponse<String> second = refresh(rotatingId, rotatingSecret, first, null);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        String tabTwo = json(second).path("refresh_token").asText();
        assertThat(tabTwo).isNotEqualTo(tabOne);
        assertThat(refresh(rotatingId, rotatingSecret, tabOne, null).statusCode()).isEqualTo(200);
        assertThat(refresh(rotatingId, rotatingSecret, tabTwo, null).statusCode()).isEqualTo(200);
        // After the leeway the first token is reuse: the grant goes, with both tabs' tokens.
        CLOCK.advance(Duration.ofSeconds(60));
        assertThat(refresh(rotatingId, rotatingSecret, first, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aFamilyTokensLookupAloneAMadeUpSecretOrAnotherClientsUseIsUnknownAndHarmsNothing() {
        String token = logIn("lookup-only@example.com", rotatingId, rotatingSecret, "offline_access read:things",
                API).path("refresh_token").asText();
        String lookup = token.substring(0, token.indexOf('.'));
        // The lookup alone is no token, in either form; nor is the secret without its lookup, nor a secret that
        // Latchkey cannot have made (truncated, empty): none of them is a reuse.
        String secret = token.substring(lookup.length() + 1);
        for (String presented : new String[] {lookup, "." + secret, lookup + ".", lookup + "." + secret.substring(1)}) {
            HttpResponse<String> answer = refresh(rotatingId, rotatingSecret, presented, null);
            assertThat(answer.statusCode()).as(presented).isEqualTo(403);
            assertThat(json(answer).path("error_description").asText()).doesNotContain("already used");
        }
        // Another client presenting it learns nothing and revokes nothing.
        assertThat(refresh(otherId, otherSecret, token, null).statusCode()).isIn(400, 403);
        String next = json(refresh(rotatingId, rotatingSecret, token, null)).path("refresh_token").asText();
        assertThat(next).startsWith(lookup + ".");

        // A secret Latchkey did not make, with the family's lookup, is nothing either: only a token it gave out
        // in the family counts as reuse (the MAC in each secret tells them apart, FamilySecrets).
        CLOCK.advance(Duration.ofSeconds(60));
        HttpResponse<String> forged = refresh(rotatingId, rotatingSecret, lookup + "." + "A".repeat(43), null);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json(forged).path("error_description").asText()).doesNotContain("already used");
        assertThat(refresh(rotatingId, rotatingSecret, next, null).statusCode()).isEqualTo(200);
    }

    @Test
    void introspectionAndRevocationSeeOnlyAFamilysLiveToken() {
        String first = logIn("family-introspect@example.com", rotatingId, rotatingSecret,
                "offline_access read:things", API).path("refresh_token").asText();
        String second = json(refresh(rotatingId, rotatingSecret, first, null)).path("refresh_token").asText();
        // RFC 7662: the refresh token is described to its own client only, and only while it is live.
        JsonNode live = json(server.postForm("oauth/introspect", "client_id=" + rotatingId + "&client_secret="
                + rotatingSecret + "&token=" + enc(second)));
        assertThat(live.path("active").asBoolean()).isTrue();
        JsonNode exchanged = json(server.postForm("oauth/introspect", "client_id=" + rotatingId + "&client_secret="
                + rotatingSecret + "&token=" + enc(first)));
        assertThat(exchanged.path("active").asBoolean()).isFalse();
        // RFC 7009: revoking the live token ends the family.
        assertThat(revoke(rotatingId, rotatingSecret, second).statusCode()).isEqualTo(200);
        assertThat(refresh(rotatingId, rotatingSecret, second, null).statusCode()).isEqualTo(403);

        // So does revoking a token the family has since replaced (a tab logging out after another refreshed),
        // for its own client only.
        String other = logIn("family-revoke@example.com", rotatingId, rotatingSecret, "offline_access read:things",
                API).path("refresh_token").asText();
        String replacing = json(refresh(rotatingId, rotatingSecret, other, null)).path("refresh_token").asText();
        assertThat(revoke(otherId, otherSecret, other).statusCode()).isEqualTo(200);
        HttpResponse<String> still = refresh(rotatingId, rotatingSecret, replacing, null);
        assertThat(still.statusCode()).as("after another client's revoke").isEqualTo(200);
        String livest = json(still).path("refresh_token").asText();
        assertThat(revoke(rotatingId, rotatingSecret, other).statusCode()).isEqualTo(200);
        assertThat(refresh(rotatingId, rotatingSecret, livest, null).statusCode()).isEqualTo(403);
    }

    @Test
    void idleAndAbsoluteLifetimesEndAToken() {
        String token = logIn("idle@example.com", rotatingId, rotatingSecret, "openid offline_access", API)
                .path("refresh_token").asText();
        // Auth0 §4.2: the idle lifetime (3600 s here) restarts on each exchange...
        for (int i = 0; i < 3; i++) {
            CLOCK.advance(Duration.ofMinutes(50));
            HttpResponse<String> response = refresh(rotatingId, rotatingSecret, token, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            token = json(response).path("refresh_token").asText();
        }
        // ...and runs out after an hour without one.
        CLOCK.advance(Duration.ofMinutes(61));
        assertThat(refresh(rotatingId, rotatingSecret, token, null).statusCode()).isEqualTo(403);

        // The absolute lifetime (86400 s) is fixed at issue, whatever the exchanges.
        String lasting = logIn("absolute@example.com", rotatingId, rotatingSecret, "openid offline_access", API)
                .path("refresh_token").asText();
        for (int i = 0; i < 24; i++) {
            CLOCK.advance(Duration.ofMinutes(59));
            HttpResponse<String> response = refresh(rotatingId, rotatingSecret, lasting, null);
            if (i < 24 && response.statusCode() != 200) {
                assertThat(i).as("refused at exchange %d: %s", i, response.body()).isGreaterThanOrEqualTo(24);
            }
            lasting = json(response).path("refresh_token").asText();
        }
        CLOCK.advance(Duration.ofMinutes(59));
        assertThat(refresh(rotatingId, rotatingSecret, lasting, null).statusCode()).isEqualTo(403);
    }

    @Test
    void anotherClientsTokenAnUnknownOneAndJunkAreRefusedCleanly() {
        String token = logIn("foreign@example.com", webId, webSecret, "openid offline_access", API)
                .path("refresh_token").asText();
        HttpResponse<String> foreign = refresh(otherId, otherSecret, token, null);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(json(foreign).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(json(refresh(webId, webSecret, "made-up", null)).path("error").asText()).isEqualTo("invalid_grant");
        // A megabyte of token, NUL bytes and control characters: spec-shaped errors, never a 500.
        HttpResponse<String> huge = refresh(webId, webSecret, "x".repeat(1_000_000), null);
        assertThat(huge.statusCode()).isIn(400, 403);
        HttpResponse<String> nul = server.postForm("oauth/token", "grant_type=refresh_token&client_id=" + webId
                + "%00&client_secret=" + webSecret + "&refresh_token=" + token);
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(json(nul).path("error").asText()).isEqualTo("invalid_request");
        HttpResponse<String> control = refresh(webId, webSecret, token + "\u0001", null);
        assertThat(control.statusCode()).isEqualTo(400);
        // The foreign attempts spent nothing.
        assertThat(refresh(webId, webSecret, token, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aPublicClientGetsRotatingTokensOnly() {
        JsonNode spa = logIn("spa@example.com", spaId, null, "openid offline_access", API);
        String first = spa.path("refresh_token").asText();
        // RFC 9700 §4.14.2, Auth0: a SPA's refresh tokens rotate.
        HttpResponse<String> refreshed = refresh(spaId, null, first, null);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(json(refreshed).path("refresh_token").asText()).isNotEqualTo(first);
        // A SPA cannot be switched to non-rotating tokens.
        HttpResponse<String> patch = server.management("PATCH", "api/v2/clients/" + spaId,
                "{\"refresh_token\":{\"rotation_type\":\"non-rotating\"}}");
        assertThat(patch.statusCode()).isEqualTo(400);
    }

    @Test
    void revocationIsImmediateOnlyForTheOwningClientAndAlways200() {
        JsonNode tokens = logIn("revoke@example.com", webId, webSecret, "openid offline_access", null);
        String refreshToken = tokens.path("refresh_token").asText();
        String opaque = tokens.path("access_token").asText();
        // RFC 7009 §2.2: 200 for another client's token, which stays valid.
        assertThat(revoke(otherId, otherSecret, refreshToken).statusCode()).isEqualTo(200);
        assertThat(refresh(webId, webSecret, refreshToken, null).statusCode()).isEqualTo(200);
        assertThat(revoke(webId, webSecret, "unknown-token").statusCode()).isEqualTo(200);
        assertThat(introspect(refreshToken).path("active").asBoolean()).isFalse(); // not the caller's to see

        assertThat(revoke(webId, webSecret, refreshToken).statusCode()).isEqualTo(200);
        assertThat(refresh(webId, webSecret, refreshToken, null).statusCode()).isEqualTo(403);
        // Beyond Auth0: the grant's opaque access tokens die at /userinfo at once.
        assertThat(userinfo(opaque).statusCode()).isEqualTo(401);
        assertThat(introspect(opaque).path("active").asBoolean()).isFalse();

        // RFC 7009 §2.1: client authentication as at the token endpoint; token is required.
        assertThat(revoke(webId, "wrong-secret", refreshToken).statusCode()).isEqualTo(401);
        HttpResponse<String> missing = server.postForm("oauth/revoke", "client_id=" + webId + "&client_secret="
                + webSecret);
        assertThat(missing.statusCode()).isEqualTo(400);
    }

    @Test
    void revokingASealedOpaqueTokenEndsItsAuthorization() {
        JsonNode tokens = logIn("sealed-opaque@example.com", webId, webSecret, "openid offline_access", null);
        String refreshToken = tokens.path("refresh_token").asText();
        String opaque = tokens.path("access_token").asText();
        // The sealed form: no dot (never taken for a JWT), longer than a stored token's 43 characters.
        assertThat(opaque).matches("[A-Za-z0-9_-]{44,1024}");
        assertThat(userinfo(opaque).statusCode()).isEqualTo(200);
        assertThat(introspect(opaque).path("active").asBoolean()).isTrue();
        // Changed by one character, it is no token of ours.
        String changed = opaque.substring(0, 30) + (opaque.charAt(30) == 'A' ? 'B' : 'A') + opaque.substring(31);
        assertThat(userinfo(changed).statusCode()).isEqualTo(401);
        assertThat(introspect(changed).path("active").asBoolean()).isFalse();

        // RFC 7009 §2.2: another client's revocation is answered 200 and changes nothing.
        assertThat(revoke(otherId, otherSecret, opaque).statusCode()).isEqualTo(200);
        assertThat(userinfo(opaque).statusCode()).isEqualTo(200);
        // RFC 7009 §2.1: nothing stored recalls a sealed token alone, so its authorization is revoked, and the
        // refresh token of the same grant with it.
        assertThat(revoke(webId, webSecret, opaque).statusCode()).isEqualTo(200);
        assertThat(userinfo(opaque).statusCode()).isEqualTo(401);
        assertThat(introspect(opaque).path("active").asBoolean()).isFalse();
        assertThat(refresh(webId, webSecret, refreshToken, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aSealedCodeReplayedADayAfterItsExpiryRevokesNothing() {
        TestUsers.create(server, "late-replay@example.com");
        CodeFlow.Code code = CodeFlow.code(server, "late-replay@example.com", webId, CALLBACK,
                "openid offline_access", null);
        HttpResponse<String> first = code.exchange(server, webId, webSecret, CALLBACK);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String refreshToken = json(first).path("refresh_token").asText();
        // RFC 6749 §4.1.2: within the replay memory a second use revokes what the code gave (replayedCode… in
        // AuthorizationCodeFlowTest); past it, a code that long dead is only unknown, whoever holds it now.
        CLOCK.advance(AuthorizationIssuer.CODE_LIFETIME.plus(Duration.ofDays(1)).plusSeconds(1));
        HttpResponse<String> replay = code.exchange(server, webId, webSecret, CALLBACK);
        assertThat(json(replay).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(refresh(webId, webSecret, refreshToken, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredSealedOpaqueTokenRevokesNothing() {
        JsonNode tokens = logIn("expired-opaque@example.com", webId, webSecret, "openid offline_access", null);
        String opaque = tokens.path("access_token").asText();
        CLOCK.advance(Duration.ofSeconds(86_401));
        assertThat(userinfo(opaque).statusCode()).isEqualTo(401);
        // An old /userinfo token, however it leaked, no longer reaches its authorization's refresh tokens.
        assertThat(revoke(webId, webSecret, opaque).statusCode()).isEqualTo(200);
        assertThat(refresh(webId, webSecret, tokens.path("refresh_token").asText(), null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void introspectionDescribesLiveTokensToAuthenticatedClientsOnly() {
        JsonNode tokens = logIn("introspect@example.com", webId, webSecret, "openid offline_access read:things", API);
        JsonNode jwt = introspect(tokens.path("access_token").asText());
        // RFC 7662 §2.2
        assertThat(jwt.path("active").asBoolean()).isTrue();
        assertThat(jwt.path("client_id").asText()).isEqualTo(webId);
        assertThat(jwt.path("scope").asText()).isEqualTo("openid offline_access read:things");
        assertThat(jwt.path("exp").asLong()).isGreaterThan(0);
        HttpResponse<String> own = server.postForm("oauth/introspect", "client_id=" + webId + "&client_secret="
                + webSecret + "&token=" + enc(tokens.path("refresh_token").asText()));
        assertThat(json(own).path("active").asBoolean()).isTrue();
        assertThat(json(own).path("token_type").asText()).isEqualTo("refresh_token");
        assertThat(introspect("junk.junk.junk").path("active").asBoolean()).isFalse();
        assertThat(introspect("junk").path("active").asBoolean()).isFalse();
        // RFC 7662 §2.1: the caller must authenticate.
        HttpResponse<String> anonymous = server.postForm("oauth/introspect", "token=" + enc(
                tokens.path("access_token").asText()));
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> publicClient = server.postForm("oauth/introspect", "client_id=" + spaId + "&token="
                + enc(tokens.path("access_token").asText()));
        assertThat(publicClient.statusCode()).isEqualTo(401);
        // Expired: the clock moves past the access token's lifetime.
        CLOCK.advance(Duration.ofSeconds(86_401));
        assertThat(introspect(tokens.path("access_token").asText()).path("active").asBoolean()).isFalse();
    }

    @Test
    void blockingTheUserRevokesTheirRefreshTokens() {
        JsonNode tokens = logIn("blocked@example.com", webId, webSecret, "openid offline_access", API);
        String userId = server.management("GET", "api/v2/users-by-email?email=blocked%40example.com", null).body();
        String id = json(server.management("GET", "api/v2/users-by-email?email=blocked%40example.com", null))
                .get(0).path("user_id").asText();
        assertThat(userId).contains(id);
        assertThat(server.management("PATCH", "api/v2/users/" + enc(id), "{\"blocked\":true}").statusCode())
                .isEqualTo(200);
        assertThat(refresh(webId, webSecret, tokens.path("refresh_token").asText(), null).statusCode())
                .isEqualTo(403);
        assertThat(introspect(tokens.path("access_token").asText()).path("active").asBoolean()).isFalse();
    }

    @Test
    void theManagementApiListsAndDeletesRefreshTokensAndSessions() {
        JsonNode tokens = logIn("managed@example.com", webId, webSecret, "openid offline_access", API);
        String id = json(server.management("GET", "api/v2/users-by-email?email=managed%40example.com", null))
                .get(0).path("user_id").asText();
        JsonNode list = json(server.management("GET", "api/v2/users/" + enc(id) + "/refresh-tokens", null));
        assertThat(list.path("tokens")).hasSize(1);
        JsonNode listed = list.path("tokens").get(0);
        assertThat(listed.path("client_id").asText()).isEqualTo(webId);
        assertThat(listed.path("resource_servers").get(0).path("audience").asText()).isEqualTo(API);
        String tokenId = listed.path("id").asText();
        assertThat(server.management("GET", "api/v2/refresh-tokens/" + tokenId, null).statusCode()).isEqualTo(200);
        JsonNode devices = json(server.management("GET", "api/v2/device-credentials?type=refresh_token&user_id="
                + enc(id), null));
        assertThat(devices).hasSize(1);
        JsonNode sessions = json(server.management("GET", "api/v2/users/" + enc(id) + "/sessions", null));
        assertThat(sessions.path("sessions")).hasSize(1);
        String sid = sessions.path("sessions").get(0).path("id").asText();
        assertThat(listed.path("session_id").asText()).isEqualTo(sid);

        assertThat(server.management("DELETE", "api/v2/refresh-tokens/" + tokenId, null).statusCode()).isEqualTo(204);
        assertThat(refresh(webId, webSecret, tokens.path("refresh_token").asText(), null).statusCode())
                .isEqualTo(403);
        assertThat(server.management("GET", "api/v2/refresh-tokens/" + tokenId, null).statusCode()).isEqualTo(404);
        assertThat(server.management("DELETE", "api/v2/sessions/" + sid, null).statusCode()).isEqualTo(204);
        assertThat(server.management("GET", "api/v2/sessions/" + sid, null).statusCode()).isEqualTo(404);
    }

    @Test
    void theTenantFlagRevokesTheWholeGrant() {
        JsonNode one = logIn("flag@example.com", webId, webSecret, "openid offline_access", API);
        // A second login of the same user, client and API: another authorization of the same grant.
        Browser browser = new Browser(server);
        assertThat(one.path("refresh_token").asText()).isNotEmpty();
        HttpResponse<String> patch = server.management("PATCH", "api/v2/tenants/settings",
                "{\"flags\":{\"revoke_refresh_token_grant\":true},\"friendly_name\":\"Acme\"}");
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(200);
        JsonNode settings = json(server.management("GET", "api/v2/tenants/settings", null));
        assertThat(settings.path("flags").path("revoke_refresh_token_grant").asBoolean()).isTrue();
        assertThat(settings.path("friendly_name").asText()).isEqualTo("Acme");
        try {
            assertThat(revoke(webId, webSecret, one.path("refresh_token").asText()).statusCode()).isEqualTo(200);
            assertThat(introspect(one.path("access_token").asText()).path("active").asBoolean()).isFalse();
        } finally {
            server.management("PATCH", "api/v2/tenants/settings", "{\"flags\":{\"revoke_refresh_token_grant\":false}}");
        }
        assertThat(browser).isNotNull();
    }

    @Test
    void discoveryListsTheNewEndpointsAndGrant() {
        JsonNode discovery = json(server.get(".well-known/openid-configuration"));
        assertThat(discovery.path("revocation_endpoint").asText()).isEqualTo(server.issuer() + "oauth/revoke");
        assertThat(discovery.path("introspection_endpoint").asText()).isEqualTo(server.issuer() + "oauth/introspect");
        assertThat(discovery.path("grant_types_supported").toString()).contains("refresh_token");
        assertThat(discovery.path("scopes_supported").toString()).contains("offline_access");
    }
}
