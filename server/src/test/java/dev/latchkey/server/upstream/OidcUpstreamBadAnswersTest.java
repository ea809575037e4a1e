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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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

    static TestServer server;
    static HttpServer provider;
    static String issuer;
    static RSAKey key;
    static RSAKey otherKey;
    static String clientId;
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
                 "id_token_signing_alg_values_supported":["RS256"],
                 "authorization_response_iss_parameter_supported":true}""".formatted(issuer)));
        provider.createContext("/jwks", exchange -> json(exchange, 200,
                new JWKSet(key.toPublicJWK()).toString()));
        provider.createContext("/token", OidcUpstreamBadAnswersTest::token);
        provider.start();

        server = TestServer.start();
        clientId = server.createClient("""
                {"name":"Fake IdP app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
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
        return begin(CONNECTION);
    }

    private Attempt begin(String connection) {
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "s");
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
        exchange.getRequestBody().readAllBytes();
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
                {"access_token":"fake-access","token_type":"Bearer","expires_in":3600,"id_token":"%s"}"""
                .formatted(idToken.serialize()));
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
