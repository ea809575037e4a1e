package dev.latchkey.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.oauth.grant.FederatedConnectionTokenGrant;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream OpenID Provider that answers wrongly, one way per test (a small provider in this JVM, signing
 * with Nimbus), against the running server: each answer must log nobody in, start no session and make no user,
 * and end in a page or an error for the client, never a 500.
 */
class OidcUpstreamBadAnswersTest {

    static final String CALLBACK = "https://app.example.com/callback";
    static final String CONNECTION = "fake-idp";
    static final String UPSTREAM_CLIENT = "latchkey-at-fake";
    static final String VAULT_GRANT = FederatedConnectionTokenGrant.TYPE;

    static TestServer server;
    static HttpServer provider;
    static String issuer;
    static RSAKey key;
    static RSAKey otherKey;
    static String clientId;
    static String clientSecret;
    static final AtomicInteger SUBJECTS = new AtomicInteger();

    /** How the provider's token endpoint answers the next code; reset before each test. */
    static volatile String tokenIssuer;
    static volatile RSAKey signingKey;
    static volatile JWSAlgorithm alg;
    static volatile String nonceOverride;
    static volatile boolean omitNonce;
    static volatile long delayMillis;
    static volatile int bodyBytes;
    static volatile boolean drip;
    static volatile String expectedNonce;
    /** The code exchange's access token lifetime and refresh token (none when null). */
    static volatile long loginExpiresIn;
    static volatile String loginRefreshToken;
    /** How the token endpoint answers a refresh (null: honestly, with a new access and refresh token). */
    static volatile String refreshAnswer;
    static volatile int refreshStatus;
    /** The refresh tokens the provider was sent, in order. */
    static final java.util.List<String> REFRESHES = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final AtomicInteger ISSUED = new AtomicInteger();
    static volatile String errorBody;

    @BeforeAll
    static void startProviderAndServer() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort();
        provider.createContext("/.well-known/openid-configuration", exchange -> json(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"],"end_session_endpoint":"%1$s/session/end",
                 "authorization_response_iss_parameter_supported":true}""".formatted(issuer)));
        provider.createContext("/jwks", exchange -> json(exchange, 200,
                new JWKSet(key.toPublicJWK()).toString()));
        provider.createContext("/token", OidcUpstreamBadAnswersTest::token);
        provider.start();

        server = TestServer.start();
        JsonNode client = server.createClient("""
                {"name":"Fake IdP app","app_type":"regular_web","callbacks":["%s"],
                 "grant_types":["authorization_code","refresh_token","%s"]}""".formatted(CALLBACK, VAULT_GRANT));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"%s","strategy":"oidc","enabled_clients":["%s"],
                 "options":{"issuer":"%s","client_id":"%s","client_secret":"fake-secret","upstream_timeout_seconds":1}}"""
                .formatted(CONNECTION, clientId, issuer, UPSTREAM_CLIENT));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (provider != null) {
            provider.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void honestProvider() {
        tokenIssuer = issuer;
        signingKey = key;
        alg = JWSAlgorithm.RS256;
        nonceOverride = null;
        omitNonce = false;
        delayMillis = 0;
        bodyBytes = 0;
        drip = false;
        loginExpiresIn = 3600;
        loginRefreshToken = null;
        refreshAnswer = null;
        refreshStatus = 200;
        errorBody = null;
    }

    @Test
    void anHonestAnswerLogsTheUserIn() {
        Attempt attempt = begin();
        HttpResponse<String> answer = attempt.callback("code=good&iss=" + enc(issuer));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
        assertThat(Browser.redirectParams(answer)).containsKey("code");
        assertThat(userExists(attempt.subject)).isTrue();
    }

    @Test
    void theGooglePresetRidesTheOidcPathAndMakesAGoogleOauth2User() {
        // A google-oauth2 connection pointed at this provider by discovery_url: Auth0's google-oauth2|<sub>.
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"google-oauth2","strategy":"google-oauth2","enabled_clients":["%s"],
                 "options":{"discovery_url":"%s/.well-known/openid-configuration","client_id":"%s",
                  "client_secret":"fake-secret","scope":["email","profile"]}}"""
                .formatted(clientId, issuer, UPSTREAM_CLIENT));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Attempt attempt = begin("google-oauth2");
        HttpResponse<String> answer = attempt.callback("code=good&iss=" + enc(issuer));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/"
                + enc("google-oauth2|" + attempt.subject), null));
        assertThat(user.path("email_verified").asBoolean()).isTrue();
        JsonNode identity = user.path("identities").path(0);
        assertThat(identity.path("provider").asText()).isEqualTo("google-oauth2");
        assertThat(identity.path("connection").asText()).isEqualTo("google-oauth2");
        assertThat(identity.path("user_id").asText()).isEqualTo(attempt.subject);
        assertThat(identity.path("isSocial").asBoolean()).isTrue();
    }

    @Test
    void aResponseIssFromAnotherIssuerIsRefused() {
        // RFC 9207 §2.4: mix-up defence.
        refused(begin(), "code=good&iss=" + enc("https://evil.example.com"), 400);
    }

    @Test
    void aMissingResponseIssIsRefusedWhenTheProviderAdvertisesIt() {
        // RFC 9207 §2.4: authorization_response_iss_parameter_supported makes iss required.
        refused(begin(), "code=good", 400);
    }

    @Test
    void anIdTokenFromAnotherIssuerIsRefused() {
        // OIDC Core §3.1.3.7 step 2.
        tokenIssuer = "https://evil.example.com";
        refused(begin(), "code=good&iss=" + enc(issuer), 400);
    }

    @Test
    void aBadSignatureIsRefused() {
        // OIDC Core §3.1.3.7 step 6: same kid, another key.
        signingKey = otherKey;
        refused(begin(), "code=good&iss=" + enc(issuer), 400);
    }

    @Test
    void anAlgorithmTheProviderDoesNotAdvertiseIsRefused() {
        // OIDC Core §3.1.3.7 step 7: only id_token_signing_alg_values_supported (RS256 here).
        alg = JWSAlgorithm.PS256;
        refused(begin(), "code=good&iss=" + enc(issuer), 400);
    }

    @Test
    void aMissingOrOtherNonceIsRefused() {
        // OIDC Core §3.1.3.7 step 11.
        omitNonce = true;
        refused(begin(), "code=good&iss=" + enc(issuer), 400);
        omitNonce = false;
        nonceOverride = "a-nonce-from-another-login";
        refused(begin(), "code=good&iss=" + enc(issuer), 400);
    }

    @Test
    void theProvidersErrorEndsTheLoginWithAccessDeniedForTheClient() {
        Attempt attempt = begin();
        HttpResponse<String> answer = attempt.callback("error=access_denied&error_description=no&iss=" + enc(issuer));
        // RFC 6749 §4.1.2.1.
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(Browser.redirectParams(answer)).containsEntry("error", "access_denied");
        assertThat(attempt.browser.cookie("latchkey_session")).isNull();
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsA502() {
        delayMillis = 3000;
        refused(begin(), "code=good&iss=" + enc(issuer), 502);
    }

    @Test
    void aProviderDrippingItsAnswerIsCutOffAtTheDeadline() {
        // The deadline covers the body too, not only the first byte.
        drip = true;
        refused(begin(), "code=good&iss=" + enc(issuer), 502);
    }

    @Test
    void aTenMegabyteAnswerIsNotReadWhole() {
        bodyBytes = 10 * 1024 * 1024;
        refused(begin(), "code=good&iss=" + enc(issuer), 502);
    }

    @Test
    void aTokenEndpointFailingWithoutAnErrorCodeIsA502NotA500() {
        // An HTML 500 page, or JSON without an error member: the provider failing, not a server error here.
        errorBody = "<html>Internal Server Error</html>";
        HttpResponse<String> answer = begin().callback("code=good&iss=" + enc(issuer));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
        errorBody = "{}";
        answer = begin().callback("code=good&iss=" + enc(issuer));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
    }

    @Test
    void aCallbackWithoutAKnownStateIsExpired() {
        Browser browser = new Browser(server);
        assertThat(browser.get("login/callback?code=x&state=forged").statusCode()).isEqualTo(400);
        assertThat(browser.get("login/callback?code=x").statusCode()).isEqualTo(400);
    }

    @Test
    void aFederatedLogoutSendsTheLoginsIdTokenOnlyToTheProviderThatIssuedIt() throws Exception {
        UpstreamHttp http = new UpstreamHttp();
        OidcUpstream oidc = new OidcUpstream(new OidcProviders(http, java.time.Clock.systemUTC()), http);
        dev.latchkey.server.identity.Connection connection = dev.latchkey.server.identity.Connection.of("con_x",
                CONNECTION, "oidc", null, java.util.List.of(), Map.of("issuer", issuer, "client_id", "fake-client",
                        "upstream_timeout_seconds", 1), java.time.Instant.now(), java.time.Instant.now());
        URI back = URI.create("https://app.example.com/bye");
        // OIDC RP-Initiated Logout 1.0 §2: its own ID token goes to its end_session_endpoint as id_token_hint.
        String own = idToken(issuer);
        URI logout = oidc.endSession(connection, own, back, "st").orElseThrow();
        assertThat(logout.toString()).startsWith(issuer + "/session/end?").contains("id_token_hint=" + own);
        // An ID token another issuer made (the connection was pointed elsewhere since the login): not sent at all.
        assertThat(oidc.endSession(connection, idToken("https://other-idp.example.com"), back, "st")).isEmpty();
    }

    private static String idToken(String iss) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(iss).subject("someone").audience("fake-client")
                        .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    // Token Vault's refresh token exchange against this provider: its refresh answers, and the requests
    // Latchkey refuses before asking it anything.

    @Test
    void anExpiredIdpTokenIsRefreshedAtTheProviderAndItsRotatedRefreshTokenReplacesTheOld() {
        String refreshToken = vaultLogin("fake-refresh-login");
        JsonNode first = TestServer.json(vault(refreshToken, CONNECTION, clientId, clientSecret));
        // The login's token had 1 s left: refreshed with the login's refresh token.
        assertThat(first.path("access_token").asText()).startsWith("fake-access-");
        assertThat(first.path("issued_token_type").asText()).isEqualTo(FederatedConnectionTokenGrant.REQUESTED_TOKEN_TYPE);
        assertThat(first.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(first.path("expires_in").asLong()).isBetween(3500L, 3600L);
        assertThat(first.path("scope").asText()).isEqualTo("openid offline_access");
        assertThat(first.has("refresh_token")).isFalse();
        assertThat(REFRESHES.get(REFRESHES.size() - 1)).isEqualTo("fake-refresh-login");
        // Fresh now: answered from the vault without a call to the provider.
        int calls = REFRESHES.size();
        JsonNode again = TestServer.json(vault(refreshToken, CONNECTION, clientId, clientSecret));
        assertThat(again.path("access_token").asText()).isEqualTo(first.path("access_token").asText());
        assertThat(REFRESHES).hasSize(calls);
        // The Latchkey refresh token was only looked at: it still works for its own grant.
        assertThat(server.postForm("oauth/token", "grant_type=refresh_token&client_id=" + clientId
                + "&client_secret=" + clientSecret + "&refresh_token=" + refreshToken).statusCode()).isEqualTo(200);
    }

    @Test
    void aRefreshTheProviderRefusesTellsTheAppToLogInThroughTheConnectionAgain() {
        String refreshToken = vaultLogin("fake-refresh-revoked");
        refreshStatus = 400;
        refreshAnswer = """
                {"error":"invalid_grant","error_description":"grant revoked"}""";
        HttpResponse<String> answer = vault(refreshToken, CONNECTION, clientId, clientSecret);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        JsonNode error = TestServer.json(answer);
        assertThat(error.path("error").asText()).isEqualTo("federated_connection_refresh_token_not_found");
        assertThat(error.path("error_description").asText()).contains("log in again through connection " + CONNECTION);
    }

    @Test
    void aProviderThatCannotRefreshNowIsA503NeverA500() {
        String refreshToken = vaultLogin("fake-refresh-down");
        delayMillis = 3000;
        unavailable(vault(refreshToken, CONNECTION, clientId, clientSecret));
        delayMillis = 0;
        bodyBytes = 10 * 1024 * 1024;
        unavailable(vault(refreshToken, CONNECTION, clientId, clientSecret));
        bodyBytes = 0;
        refreshAnswer = "<html>not a token</html>";
        unavailable(vault(refreshToken, CONNECTION, clientId, clientSecret));
        refreshAnswer = "{\"token_type\":\"Bearer\"}";
        unavailable(vault(refreshToken, CONNECTION, clientId, clientSecret));
        // The refresh token was not lost on the way: once the provider is back, it refreshes.
        refreshAnswer = null;
        assertThat(vault(refreshToken, CONNECTION, clientId, clientSecret).statusCode()).isEqualTo(200);
        assertThat(REFRESHES.get(REFRESHES.size() - 1)).isEqualTo("fake-refresh-down");
    }

    @Test
    void anExpiredTokenWithoutARefreshTokenCannotBeHad() throws InterruptedException {
        String refreshToken = vaultLogin(null);
        Thread.sleep(1_100); // the provider's token had 1 s
        HttpResponse<String> answer = vault(refreshToken, CONNECTION, clientId, clientSecret);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertThat(TestServer.json(answer).path("error").asText())
                .isEqualTo("federated_connection_refresh_token_not_found");
    }

    @Test
    void theExchangeRefusesWhatItMustNotAnswer() {
        String refreshToken = vaultLogin("fake-refresh-guarded");
        int calls = REFRESHES.size();
        // Another client's refresh token (RFC 6749 §10.4) and one never issued: Auth0's 403 invalid_grant.
        JsonNode other = server.createClient("""
                {"name":"Other vault app","app_type":"regular_web","callbacks":["%s"],
                 "grant_types":["authorization_code","refresh_token","%s"]}""".formatted(CALLBACK, VAULT_GRANT));
        error(vault(refreshToken, CONNECTION, other.path("client_id").asText(),
                other.path("client_secret").asText()), 403, "invalid_grant");
        error(vault("not-a-refresh-token", CONNECTION, clientId, clientSecret), 403, "invalid_grant");
        // A client that did not enable the grant, and a public client (IdP tokens never go to one, Auth0 §6).
        JsonNode plain = server.createClient("""
                {"name":"Plain app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        error(vault(refreshToken, CONNECTION, plain.path("client_id").asText(), plain.path("client_secret").asText()),
                403, "unauthorized_client");
        JsonNode spa = server.createClient("""
                {"name":"Vault SPA","app_type":"spa","token_endpoint_auth_method":"none","callbacks":["%s"],
                 "grant_types":["authorization_code","refresh_token","%s"]}""".formatted(CALLBACK, VAULT_GRANT));
        error(vault(refreshToken, CONNECTION, spa.path("client_id").asText(), null), 403, "unauthorized_client");
        // RFC 8693 §2.1: the token types this exchange takes, and a connection that keeps IdP tokens.
        error(server.postForm("oauth/token", vaultForm(refreshToken, CONNECTION, clientId, clientSecret)
                .replace("refresh_token&", "access_token&")), 400, "invalid_request");
        error(vault(refreshToken, "no-such-connection", clientId, clientSecret), 400, "invalid_request");
        error(vault(refreshToken, "Username-Password-Authentication", clientId, clientSecret), 400,
                "invalid_request");
        error(server.postForm("oauth/token", "grant_type=" + enc(VAULT_GRANT) + "&client_id=" + clientId
                + "&client_secret=" + clientSecret + "&connection=" + CONNECTION), 400, "invalid_request");
        // A user with no identity at the connection (the login_hint names none).
        HttpResponse<String> hinted = server.postForm("oauth/token",
                vaultForm(refreshToken, CONNECTION, clientId, clientSecret) + "&login_hint=someone-else");
        error(hinted, 401, "federated_connection_refresh_token_not_found");
        // A revoked refresh token.
        assertThat(server.postForm("oauth/revoke", "client_id=" + clientId + "&client_secret=" + clientSecret
                + "&token=" + refreshToken).statusCode()).isEqualTo(200);
        error(vault(refreshToken, CONNECTION, clientId, clientSecret), 403, "invalid_grant");
        // None of this reached the provider.
        assertThat(REFRESHES).hasSize(calls);
    }

    /**
     * Logs a new user in through the provider, whose access token has 1 s left (so it is refreshed at once) and
     * whose refresh token is {@code providerRefreshToken}; answers the app's Latchkey refresh token.
     */
    private String vaultLogin(String providerRefreshToken) {
        loginExpiresIn = 1;
        loginRefreshToken = providerRefreshToken;
        Pkce pkce = Pkce.create();
        Attempt attempt = begin(pkce, "openid offline_access");
        HttpResponse<String> atApp = attempt.callback("code=good&iss=" + enc(issuer));
        assertThat(atApp.statusCode()).as(atApp.body()).isEqualTo(302);
        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + Browser.redirectParams(atApp).get("code")
                + "&redirect_uri=" + enc(CALLBACK) + "&code_verifier=" + pkce.verifier()));
        assertThat(tokens.path("refresh_token").asText()).as(tokens.toString()).isNotEmpty();
        return tokens.path("refresh_token").asText();
    }

    private static HttpResponse<String> vault(String refreshToken, String connection, String client, String secret) {
        return server.postForm("oauth/token", vaultForm(refreshToken, connection, client, secret));
    }

    private static String vaultForm(String refreshToken, String connection, String client, String secret) {
        return "grant_type=" + enc(VAULT_GRANT) + "&client_id=" + client
                + (secret == null ? "" : "&client_secret=" + secret) + "&subject_token=" + enc(refreshToken)
                + "&subject_token_type=" + enc("urn:ietf:params:oauth:token-type:refresh_token")
                + "&requested_token_type=" + enc(FederatedConnectionTokenGrant.REQUESTED_TOKEN_TYPE)
                + "&connection=" + enc(connection);
    }

    private static void unavailable(HttpResponse<String> answer) {
        error(answer, 503, "temporarily_unavailable");
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
    }

    private static void error(HttpResponse<String> answer, int status, String code) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(TestServer.json(answer).path("error").asText()).as(answer.body()).isEqualTo(code);
        assertThat(answer.body()).doesNotContain("fake-refresh").doesNotContain("fake-secret");
    }

    private void refused(Attempt attempt, String query, int status) {
        HttpResponse<String> answer = attempt.callback(query);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("fake-secret");
        assertThat(attempt.browser.cookie("latchkey_session")).isNull();
        assertThat(userExists(attempt.subject)).isFalse();
    }

    private boolean userExists(String subject) {
        return server.management("GET", "api/v2/users/" + enc("oidc|" + CONNECTION + "|" + subject), null)
                .statusCode() == 200;
    }

    /** A login sent to the provider: the browser, and the state and nonce Latchkey gave it. */
    private record Attempt(Browser browser, String state, String subject) {

        HttpResponse<String> callback(String query) {
            return browser.get("login/callback?state=" + enc(state) + "&" + query);
        }
    }

    private Attempt begin() {
        return begin(CONNECTION, Pkce.create(), "openid");
    }

    private Attempt begin(String connection) {
        return begin(connection, Pkce.create(), "openid");
    }

    private Attempt begin(Pkce pkce, String scope) {
        return begin(CONNECTION, pkce, scope);
    }

    private Attempt begin(String connection, Pkce pkce, String scope) {
        Browser browser = new Browser(server);
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, scope, "s");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.put("connection", connection);
        HttpResponse<String> toProvider = browser.authorize(params);
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        URI location = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(issuer + "/authorize?");
        Map<String, String> sent = Browser.redirectParams(toProvider);
        expectedNonce = sent.get("nonce");
        subject = "user-" + SUBJECTS.incrementAndGet();
        return new Attempt(browser, sent.get("state"), subject);
    }

    static volatile String subject;

    private static void token(HttpExchange exchange) throws IOException {
        Map<String, java.util.List<String>> form = URLUtils.parseParameters(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        boolean refresh = form.getOrDefault("grant_type", java.util.List.of()).contains("refresh_token");
        if (refresh) {
            REFRESHES.add(form.get("refresh_token").get(0));
        }
        try {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (drip) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException e) {
                // The server hung up: as it should.
            }
            return;
        }
        if (errorBody != null) {
            byte[] bytes = errorBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", errorBody.startsWith("{") ? "application/json"
                    : "text/html");
            exchange.sendResponseHeaders(500, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            return;
        }
        if (bodyBytes > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bodyBytes);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, bodyBytes - sent));
                }
            } catch (IOException e) {
                // The server stopped reading: as it should.
            }
            return;
        }
        if (refresh) {
            int n = ISSUED.incrementAndGet();
            json(exchange, refreshStatus, refreshAnswer != null ? refreshAnswer : """
                    {"access_token":"fake-access-%1$d","token_type":"Bearer","expires_in":3600,
                     "refresh_token":"fake-refresh-%1$d","scope":"openid offline_access"}""".formatted(n));
            return;
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(tokenIssuer).subject(subject)
                .audience(UPSTREAM_CLIENT).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("email", subject + "@fake.example").claim("email_verified", true);
        if (!omitNonce) {
            claims.claim("nonce", nonceOverride != null ? nonceOverride : expectedNonce);
        }
        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(alg).keyID(signingKey.getKeyID()).build(),
                claims.build());
        try {
            idToken.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IOException(e);
        }
        json(exchange, 200, """
                {"access_token":"fake-access","token_type":"Bearer","expires_in":%d,"id_token":"%s"%s}"""
                .formatted(loginExpiresIn, idToken.serialize(), loginRefreshToken == null ? ""
                        : ",\"refresh_token\":\"" + loginRefreshToken + "\""));
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String enc(String value) {
        return ManagementCalls.encode(value);
    }
}
