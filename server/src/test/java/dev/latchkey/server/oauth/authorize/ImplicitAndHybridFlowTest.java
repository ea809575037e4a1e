package dev.latchkey.server.oauth.authorize;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.CodeHash;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Implicit (OIDC Core §3.2) and hybrid (§3.3) responses from /authorize, on fragment and form_post. */
class ImplicitAndHybridFlowTest {

    static final String API = "https://web.example.com/api";
    static final String CALLBACK = "https://app.example.com/callback";
    static TestServer server;
    static String clientId;
    static String clientSecret;
    static String hsClientId;
    static String hsClientSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Web API","scopes":[{"value":"read:things"}],
                 "token_lifetime":7200,"token_lifetime_for_web":900,"skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
        var client = server.createClient("""
                {"name":"Web","app_type":"regular_web","callbacks":["%s"],
                 "grant_types":["authorization_code","implicit"]}""".formatted(CALLBACK));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        var hs = server.createClient("""
                {"name":"HS","app_type":"regular_web","callbacks":["%s"],"grant_types":["implicit"],"jwt_configuration":{"alg":"HS256",
                 "lifetime_in_seconds":600}}""".formatted(CALLBACK));
        hsClientId = hs.path("client_id").asText();
        hsClientSecret = hs.path("client_secret").asText();
        TestUsers.create(server, "grace@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> request(String client, String responseType) {
        Map<String, String> params = Browser.authorizeParams(responseType, client, CALLBACK, "openid profile", "s1");
        params.put("nonce", "n1");
        return params;
    }

    static HttpResponse<String> logIn(Map<String, String> params) {
        Browser browser = new Browser(server);
        browser.authorize(params);
        HttpResponse<String> response = browser.logIn("grace@example.com", TestUsers.PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 302);
        return response;
    }

    @Test
    void implicitIdTokenTokenGoesInTheFragmentWithAtHash() throws Exception {
        HttpResponse<String> response = logIn(request(clientId, "id_token token"));
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "#");
        Map<String, String> fragment = Browser.redirectParams(response);
        assertThat(fragment).containsEntry("state", "s1").containsEntry("token_type", "Bearer")
                .containsKeys("access_token", "id_token");
        // Auth0: opaque /userinfo tokens from the implicit flow live 7200 s.
        assertThat(fragment.get("expires_in")).isEqualTo("7200");
        JWTClaimsSet id = SignedJWT.parse(fragment.get("id_token")).getJWTClaimsSet();
        assertThat(id.getClaim("nonce")).isEqualTo("n1");
        // OIDC Core §3.2.2.10: at_hash is required with an access token.
        assertThat(id.getClaim("at_hash")).isEqualTo(AccessTokenHash.compute(
                new BearerAccessToken(fragment.get("access_token")), JWSAlgorithm.RS256, null).getValue());
    }

    @Test
    void implicitTokenForAnApiUsesTheWebLifetime() {
        Map<String, String> params = request(clientId, "token");
        params.put("audience", API);
        Map<String, String> fragment = Browser.redirectParams(logIn(params));
        // Auth0: token_lifetime_for_web for tokens from the browser.
        assertThat(fragment.get("expires_in")).isEqualTo("900");
        assertThat(fragment.get("access_token").split("\\.")).hasSize(3);
    }

    @Test
    void implicitIdTokenAloneCarriesTheProfile() throws Exception {
        Map<String, String> fragment = Browser.redirectParams(logIn(request(clientId, "id_token")));
        assertThat(fragment).doesNotContainKey("access_token");
        JWTClaimsSet id = SignedJWT.parse(fragment.get("id_token")).getJWTClaimsSet();
        assertThat(id.getClaim("name")).isEqualTo("grace Example");
        assertThat(id.getClaim("at_hash")).isNull();
    }

    @Test
    void acrValuesPutTheClassTheLoginSatisfiedInTheIdToken() throws Exception {
        // OIDC Core §3.1.2.1: acr_values asks for acr as a voluntary claim; §2: Latchkey's single-factor
        // login is "0", the first requested value it satisfies, or what it performed when none is.
        Map<String, String> params = request(clientId, "id_token");
        params.put("acr_values", "urn:example:mfa 0");
        JWTClaimsSet id = SignedJWT.parse(Browser.redirectParams(logIn(params)).get("id_token")).getJWTClaimsSet();
        assertThat(id.getClaim("acr")).isEqualTo("0");

        Map<String, String> unsatisfiable = request(clientId, "code id_token");
        unsatisfiable.put("acr_values", "1 2");
        Map<String, String> fragment = Browser.redirectParams(logIn(unsatisfiable));
        assertThat(SignedJWT.parse(fragment.get("id_token")).getJWTClaimsSet().getClaim("acr")).isEqualTo("0");

        JWTClaimsSet unasked = SignedJWT.parse(Browser.redirectParams(logIn(request(clientId, "id_token")))
                .get("id_token")).getJWTClaimsSet();
        assertThat(unasked.getClaim("acr")).isNull();
        assertThat(json(server.get(".well-known/openid-configuration")).path("acr_values_supported").toString())
                .isEqualTo("[\"0\"]");
    }

    @Test
    void hybridWithFormPostCarriesCodeAndTokensWithHashes() throws Exception {
        Map<String, String> params = request(clientId, "code id_token token");
        params.put("response_mode", "form_post");
        HttpResponse<String> response = logIn(params);
        assertThat(response.statusCode()).isEqualTo(200);
        // Form Post Response Mode §2: a page that posts to the redirect URI, also without JavaScript.
        assertThat(response.body()).contains("<form method=\"post\" action=\"" + CALLBACK + "\"")
                .contains("<button type=\"submit\">");
        Map<String, String> fields = Browser.formPostFields(response);
        assertThat(fields).containsKeys("code", "access_token", "id_token").containsEntry("state", "s1");
        JWTClaimsSet id = SignedJWT.parse(fields.get("id_token")).getJWTClaimsSet();
        // OIDC Core §3.3.2.11: c_hash and at_hash.
        assertThat(id.getClaim("c_hash")).isEqualTo(CodeHash.compute(new AuthorizationCode(fields.get("code")),
                JWSAlgorithm.RS256, null).getValue());
        assertThat(id.getClaim("at_hash")).isNotNull();
        // Auth0: the hybrid front-channel opaque token lives 86400 s.
        assertThat(fields.get("expires_in")).isEqualTo("86400");

        HttpResponse<String> token = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + fields.get("code")
                + "&redirect_uri=" + CALLBACK);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        assertThat(json(token).path("id_token").asText()).isNotEmpty();
    }

    @Test
    void hybridCodeIdTokenInTheFragment() throws Exception {
        Map<String, String> fragment = Browser.redirectParams(logIn(request(clientId, "code id_token")));
        assertThat(fragment).containsKeys("code", "id_token").doesNotContainKey("access_token");
        assertThat(SignedJWT.parse(fragment.get("id_token")).getJWTClaimsSet().getClaim("c_hash")).isNotNull();
    }

    @Test
    void hs256ClientGetsIdTokensSignedWithItsSecret() throws Exception {
        Map<String, String> fragment = Browser.redirectParams(logIn(request(hsClientId, "id_token")));
        SignedJWT jwt = SignedJWT.parse(fragment.get("id_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.verify(new MACVerifier(hsClientSecret.getBytes(StandardCharsets.UTF_8)))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        // jwt_configuration.lifetime_in_seconds.
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(600_000L);
    }
}
