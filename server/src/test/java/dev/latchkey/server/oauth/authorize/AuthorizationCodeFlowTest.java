package dev.latchkey.server.oauth.authorize;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The authorization code grant with PKCE from /authorize to /oauth/token (RFC 6749 §4.1, RFC 7636). */
class AuthorizationCodeFlowTest {

    static final String API = "https://flows.example.com/api";
    static final String CALLBACK = "https://app.example.com/callback";
    static TestServer server;
    static String spaClientId;
    static String webClientId;
    static String webClientSecret;
    static User user;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Flows API","scopes":[{"value":"read:things","description":"Read things"},
                {"value":"write:things"}],"skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
        spaClientId = server.createClient("""
                {"name":"Single Page","app_type":"spa","callbacks":["%s"],"web_origins":["https://app.example.com"]}"""
                .formatted(CALLBACK)).path("client_id").asText();
        JsonNode web = server.createClient("""
                {"name":"Regular Web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        webClientId = web.path("client_id").asText();
        webClientSecret = web.path("client_secret").asText();
        user = TestUsers.create(server, "ada@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> codeRequest(String clientId, Pkce pkce, String scope) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", CALLBACK);
        params.put("scope", scope);
        params.put("state", "st-123");
        params.put("nonce", "n-456");
        if (pkce != null) {
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
        }
        return params;
    }

    /** Runs /authorize and the login page; returns the callback's parameters. */
    static Map<String, String> authorizeAndLogIn(Browser browser, Map<String, String> params) {
        HttpResponse<String> response = browser.authorize(params);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/u/login?state=");
        HttpResponse<String> afterLogin = browser.logIn("ada@example.com", TestUsers.PASSWORD);
        assertThat(afterLogin.statusCode()).as(afterLogin.body()).isEqualTo(302);
        return Browser.redirectParams(afterLogin);
    }

    static HttpResponse<String> exchange(String clientId, String secret, String code, String verifier) {
        StringBuilder form = new StringBuilder("grant_type=authorization_code&client_id=" + clientId + "&code=" + code
                + "&redirect_uri=" + CALLBACK);
        if (secret != null) {
            form.append("&client_secret=").append(secret);
        }
        if (verifier != null) {
            form.append("&code_verifier=").append(verifier);
        }
        return server.postForm("oauth/token", form.toString());
    }

    @Test
    void publicClientGetsJwtAndIdTokenWithPkceAlone() throws Exception {
        Pkce pkce = Pkce.create();
        Map<String, String> params = codeRequest(spaClientId, pkce, "openid profile email read:things unknown:scope");
        params.put("audience", API);
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), params);
        // RFC 6749 §4.1.2: code and state in the query.
        assertThat(callback).containsEntry("state", "st-123").containsKey("code");

        HttpResponse<String> token = exchange(spaClientId, null, callback.get("code"), pkce.verifier());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode body = json(token);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(86400);
        assertThat(body.path("scope").asText()).isEqualTo("openid profile email read:things");

        JWTClaimsSet access = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo(user.userId());
        // Auth0: with openid the API token is good at /userinfo too.
        assertThat(access.getAudience()).containsExactly(API, server.issuer() + "userinfo");
        assertThat(access.getClaim("azp")).isEqualTo(spaClientId);
        assertThat(access.getClaim("gty")).isNull();

        JWTClaimsSet id = SignedJWT.parse(body.path("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getIssuer()).isEqualTo(server.issuer());
        assertThat(id.getAudience()).containsExactly(spaClientId);
        assertThat(id.getSubject()).isEqualTo(user.userId());
        assertThat(id.getClaim("nonce")).isEqualTo("n-456");
        assertThat(id.getClaim("auth_time")).isNotNull();
        assertThat(id.getClaim("sid")).isNotNull();
        assertThat(id.getClaim("email")).isEqualTo("ada@example.com");
        assertThat(id.getClaim("name")).isEqualTo("ada Example");
        // OIDC Core §5.1: updated_at is a number of seconds since the epoch.
        assertThat(id.getClaim("updated_at")).isEqualTo(server.latchkey().users().findById(user.userId())
                .orElseThrow().updatedAt().getEpochSecond());
        // Default ID token lifetime: 36000 s.
        assertThat(id.getExpirationTime().getTime() - id.getIssueTime().getTime()).isEqualTo(36_000_000L);
    }

    @Test
    void confidentialClientWithoutAudienceGetsOpaqueTokenForUserinfo() {
        Map<String, String> callback = authorizeAndLogIn(new Browser(server),
                codeRequest(webClientId, null, "openid email"));
        HttpResponse<String> token = exchange(webClientId, webClientSecret, callback.get("code"), null);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        JsonNode body = json(token);
        String accessToken = body.path("access_token").asText();
        assertThat(accessToken).doesNotContain(".").hasSizeGreaterThanOrEqualTo(43);
        // Auth0: opaque /userinfo tokens from the code flow live 86400 s.
        assertThat(body.path("expires_in").asLong()).isEqualTo(86400);

        HttpResponse<String> userinfo = server.send(java.net.http.HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET());
        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(json(userinfo).path("sub").asText()).isEqualTo(user.userId());
        assertThat(json(userinfo).path("email").asText()).isEqualTo("ada@example.com");
        assertThat(json(userinfo).has("name")).isFalse();
    }

    @Test
    void replayedCodeFailsAndRevokesTheTokensItGave() {
        // RFC 6749 §4.1.2: a code used twice is refused, and the tokens issued from it are revoked.
        Map<String, String> callback = authorizeAndLogIn(new Browser(server),
                codeRequest(webClientId, null, "openid"));
        HttpResponse<String> first = exchange(webClientId, webClientSecret, callback.get("code"), null);
        assertThat(first.statusCode()).isEqualTo(200);
        String accessToken = json(first).path("access_token").asText();

        HttpResponse<String> replay = exchange(webClientId, webClientSecret, callback.get("code"), null);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).path("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> userinfo = server.send(java.net.http.HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET());
        assertThat(userinfo.statusCode()).isEqualTo(401);
    }

    @Test
    void aSealedCodeIsTamperProofAndARequestTooLongToSealGetsAStoredCode() throws Exception {
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(webClientId, null, "openid"));
        String code = callback.get("code");
        // The sealed form: longer than the 43 characters of a stored code, and URL-safe as it is.
        assertThat(code).matches("[A-Za-z0-9_-]{44,512}");
        // RFC 6749 §5.2: one character changed is an unknown code; the real one was not spent by it.
        String changed = code.substring(0, 20) + (code.charAt(20) == 'A' ? 'B' : 'A') + code.substring(21);
        assertThat(json(exchange(webClientId, webClientSecret, changed, null)).path("error").asText())
                .isEqualTo("invalid_grant");
        assertThat(json(exchange(webClientId, webClientSecret, code.substring(0, 100), null)).path("error")
                .asText()).isEqualTo("invalid_grant");
        assertThat(exchange(webClientId, webClientSecret, code, null).statusCode()).isEqualTo(200);

        // A nonce of 500 characters (NonceCheck takes up to 512) would seal too long: that code is stored instead.
        Map<String, String> params = codeRequest(webClientId, null, "openid");
        params.put("nonce", "n".repeat(500));
        String stored = authorizeAndLogIn(new Browser(server), params).get("code");
        assertThat(stored).hasSize(43);
        HttpResponse<String> token = exchange(webClientId, webClientSecret, stored, null);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(SignedJWT.parse(json(token).path("id_token").asText()).getJWTClaimsSet().getStringClaim("nonce"))
                .isEqualTo("n".repeat(500));
        assertThat(exchange(webClientId, webClientSecret, stored, null).statusCode()).isEqualTo(400);
    }

    @Test
    void aCodeWhoseAuthorizationWasRevokedBeforeTheExchangeIsRefused() {
        String userId = TestUsers.create(server, "mallory@example.com").userId();
        Browser browser = new Browser(server);
        browser.authorize(codeRequest(webClientId, null, "openid"));
        HttpResponse<String> afterLogin = browser.logIn("mallory@example.com", TestUsers.PASSWORD);
        String code = Browser.redirectParams(afterLogin).get("code");
        assertThat(code.length()).isGreaterThan(43);
        // Ending the user's sessions revokes what was authorized in them, the authorization this code carries too.
        assertThat(server.management("DELETE", "api/v2/users/" + ManagementCalls.encode(userId) + "/sessions", null)
                .statusCode()).isEqualTo(204);
        HttpResponse<String> refused = exchange(webClientId, webClientSecret, code, null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aSealedValueCountsOnlyForWhatItWasSealedFor() {
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(webClientId, null, "openid"));
        String code = callback.get("code");
        // A code is no access token, and an opaque access token is no code.
        HttpResponse<String> codeAsToken = server.send(java.net.http.HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + code).GET());
        assertThat(codeAsToken.statusCode()).isEqualTo(401);
        String accessToken = json(exchange(webClientId, webClientSecret, code, null)).path("access_token").asText();
        assertThat(accessToken.length()).isGreaterThan(43);
        HttpResponse<String> tokenAsCode = exchange(webClientId, webClientSecret, accessToken, null);
        assertThat(json(tokenAsCode).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aSealedCodeIsNotSpentByAPresenterWithoutItsVerifier() {
        // RFC 7636 §4.6: a sealed code carries its challenge, so an intercepted code with a wrong verifier is
        // refused before it is spent, and the client's own exchange still works (and is no replay).
        Pkce pkce = Pkce.create();
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(spaClientId, pkce, "openid"));
        HttpResponse<String> intercepted = exchange(spaClientId, null, callback.get("code"), Pkce.create().verifier());
        assertThat(json(intercepted).path("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> own = exchange(spaClientId, null, callback.get("code"), pkce.verifier());
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    }

    @Test
    void codeIsBoundToItsClient() {
        Map<String, String> callback = authorizeAndLogIn(new Browser(server),
                codeRequest(webClientId, null, "openid"));
        Pkce pkce = Pkce.create();
        HttpResponse<String> stolen = exchange(spaClientId, null, callback.get("code"), pkce.verifier());
        assertThat(stolen.statusCode()).isEqualTo(400);
        assertThat(json(stolen).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void anotherClientCanNeitherUseUpNorRevokeACode() {
        // RFC 6749 §4.1.3: the code must have been issued to the client presenting it; §10.5: another
        // client's attempt must not burn it, nor revoke what its own client got for it.
        Map<String, String> callback = authorizeAndLogIn(new Browser(server),
                codeRequest(webClientId, null, "openid"));
        String code = callback.get("code");
        HttpResponse<String> stolen = exchange(spaClientId, null, code, Pkce.create().verifier());
        assertThat(json(stolen).path("error").asText()).isEqualTo("invalid_grant");

        HttpResponse<String> own = exchange(webClientId, webClientSecret, code, null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        String accessToken = json(own).path("access_token").asText();

        HttpResponse<String> replayedByAnother = exchange(spaClientId, null, code, Pkce.create().verifier());
        assertThat(json(replayedByAnother).path("error").asText()).isEqualTo("invalid_grant");
        HttpResponse<String> userinfo = server.send(java.net.http.HttpRequest.newBuilder(server.uri("userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET());
        assertThat(userinfo.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownCodesFromPublicClientsAreNotLogged() {
        // Anyone can call as a public client: unknown codes must not add 30-day rows to the tenant log.
        String quiet = server.createClient("""
                {"name":"Quiet SPA","app_type":"spa","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> unknown = exchange(quiet, null, "no-such-code-" + i, Pkce.create().verifier());
            assertThat(json(unknown).path("error").asText()).isEqualTo("invalid_grant");
        }
        // A code this client was given, with the wrong verifier: worth an entry.
        Pkce pkce = Pkce.create();
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(quiet, pkce, "openid"));
        HttpResponse<String> wrong = exchange(quiet, null, callback.get("code"), Pkce.create().verifier());
        assertThat(json(wrong).path("error").asText()).isEqualTo("invalid_grant");

        String query = "api/v2/logs?q=" + ManagementCalls.encode("type:feacft AND client_id:\"" + quiet + "\"");
        JsonNode logs = ManagementCalls.eventually(() -> json(server.management("GET", query, null)),
                l -> l.size() > 0);
        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).path("description").asText()).isEqualTo("Failed to verify code_verifier");
    }

    @Test
    void aCodeWhoseRequestNamedTheRedirectUriIsRedeemedOnlyWithIt() {
        // RFC 6749 §4.1.3: redirect_uri is REQUIRED at the token endpoint if it was in the request,
        // even for a client with a single callback.
        Pkce pkce = Pkce.create();
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(spaClientId, pkce, "openid"));
        HttpResponse<String> without = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + spaClientId + "&code=" + callback.get("code") + "&code_verifier=" + pkce.verifier());
        assertThat(without.statusCode()).isEqualTo(400);
        assertThat(json(without).path("error").asText()).isEqualTo("invalid_grant");

        // A request that named none (the client's only callback was used) may be redeemed without it.
        Pkce second = Pkce.create();
        Map<String, String> params = codeRequest(spaClientId, second, "openid");
        params.remove("redirect_uri");
        Map<String, String> defaulted = authorizeAndLogIn(new Browser(server), params);
        HttpResponse<String> redeemed = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + spaClientId + "&code=" + defaulted.get("code") + "&code_verifier=" + second.verifier());
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
    }

    @Test
    void anIdTokenHintForAnotherUserOrClientIsNotTakenForTheSessionsUser() {
        // OIDC Core §3.1.2.1: id_token_hint names the user; prompt=none with another user's session is
        // login_required, and a hint issued to another client is refused.
        Pkce pkce = Pkce.create();
        Browser adas = new Browser(server);
        Map<String, String> callback = authorizeAndLogIn(adas, codeRequest(spaClientId, pkce, "openid"));
        String adaHint = json(exchange(spaClientId, null, callback.get("code"), pkce.verifier()))
                .path("id_token").asText();

        TestUsers.create(server, "bob-hint@example.com");
        Browser bobs = new Browser(server);
        bobs.authorize(codeRequest(spaClientId, Pkce.create(), "openid"));
        assertThat(Browser.redirectParams(bobs.logIn("bob-hint@example.com", TestUsers.PASSWORD))).containsKey("code");

        Map<String, String> silent = codeRequest(spaClientId, Pkce.create(), "openid");
        silent.put("prompt", "none");
        silent.put("id_token_hint", adaHint);
        assertThat(Browser.redirectParams(bobs.authorize(silent))).containsEntry("error", "login_required");
        // Ada's own session answers silently.
        assertThat(Browser.redirectParams(adas.authorize(silent))).containsKey("code");
        // A hint issued to another client, or a forged one, is invalid_request.
        Map<String, String> foreign = codeRequest(webClientId, null, "openid");
        foreign.put("id_token_hint", adaHint);
        assertThat(Browser.redirectParams(adas.authorize(foreign))).containsEntry("error", "invalid_request");
        silent.put("id_token_hint", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        assertThat(Browser.redirectParams(adas.authorize(silent))).containsEntry("error", "invalid_request");
    }

    @Test
    void acrValuesReachTheIdTokenOfTheCodeFlowToo() throws Exception {
        // OIDC Core §2, §3.1.2.1: the ID token from the token endpoint reports the class asked for.
        Pkce pkce = Pkce.create();
        Map<String, String> params = codeRequest(spaClientId, pkce, "openid");
        params.put("acr_values", "0");
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), params);
        HttpResponse<String> token = exchange(spaClientId, null, callback.get("code"), pkce.verifier());
        JWTClaimsSet id = SignedJWT.parse(json(token).path("id_token").asText()).getJWTClaimsSet();
        assertThat(id.getStringClaim("acr")).isEqualTo("0");
    }

    @Test
    void hugeMaxAgeWithASessionIsInvalidRequestNotAServerError() {
        // OIDC Core §3.1.2.1: max_age is a number of seconds; one that overflows time arithmetic is refused.
        Browser browser = new Browser(server);
        authorizeAndLogIn(browser, codeRequest(webClientId, null, "openid"));
        Map<String, String> params = codeRequest(webClientId, null, "profile");
        params.put("max_age", Long.toString(Long.MAX_VALUE));
        HttpResponse<String> response = browser.authorize(params);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request")
                .containsEntry("state", "st-123");

        // Ten years is allowed, and a session of seconds is well within it.
        params.put("max_age", "315360000");
        HttpResponse<String> allowed = browser.authorize(params);
        assertThat(Browser.redirectParams(allowed)).containsKey("code");
    }

    @Test
    void codeIsBoundToItsRedirectUri() {
        // RFC 6749 §4.1.3: redirect_uri must be identical to the authorization request's.
        Map<String, String> callback = authorizeAndLogIn(new Browser(server),
                codeRequest(webClientId, null, "openid"));
        HttpResponse<String> token = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + webClientId + "&client_secret=" + webClientSecret + "&code=" + callback.get("code")
                + "&redirect_uri=https://app.example.com/other");
        assertThat(token.statusCode()).isEqualTo(400);
        assertThat(json(token).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void pkceDowngradeIsRefused() {
        // RFC 7636 §4.6, RFC 9700 §2.1.1: missing, wrong, or unexpected verifiers all fail.
        Pkce pkce = Pkce.create();
        Map<String, String> missing = authorizeAndLogIn(new Browser(server), codeRequest(spaClientId, pkce, "openid"));
        assertThat(json(exchange(spaClientId, null, missing.get("code"), null)).path("error").asText())
                .isEqualTo("invalid_grant");

        Map<String, String> wrong = authorizeAndLogIn(new Browser(server), codeRequest(spaClientId, pkce, "openid"));
        assertThat(json(exchange(spaClientId, null, wrong.get("code"), Pkce.create().verifier())).path("error")
                .asText()).isEqualTo("invalid_grant");

        Map<String, String> none = authorizeAndLogIn(new Browser(server), codeRequest(webClientId, null, "openid"));
        HttpResponse<String> injected = exchange(webClientId, webClientSecret, none.get("code"), pkce.verifier());
        assertThat(json(injected).path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void plainPkceIsRefusedAtTheAuthorizationEndpoint() {
        Map<String, String> params = codeRequest(spaClientId, null, "openid");
        params.put("code_challenge", Pkce.create().verifier());
        params.put("code_challenge_method", "plain");
        HttpResponse<String> response = new Browser(server).authorize(params);
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request")
                .containsEntry("state", "st-123");
    }

    @Test
    void publicClientWithoutPkceIsRefused() {
        HttpResponse<String> response = new Browser(server).authorize(codeRequest(spaClientId, null, "openid"));
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenEndpointAnswersCorsForTheClientsWebOrigin() {
        HttpResponse<String> preflight = server.send(java.net.http.HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,auth0-client")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");

        HttpResponse<String> stranger = server.send(java.net.http.HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        Pkce pkce = Pkce.create();
        Map<String, String> callback = authorizeAndLogIn(new Browser(server), codeRequest(spaClientId, pkce, "openid"));
        HttpResponse<String> token = server.send(java.net.http.HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Origin", "https://app.example.com")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id="
                        + spaClientId + "&code=" + callback.get("code") + "&redirect_uri=" + CALLBACK
                        + "&code_verifier=" + pkce.verifier())));
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(List.of(json(token).path("id_token").asText().split("\\."))).hasSize(3);
    }
}
