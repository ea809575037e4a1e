package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import dev.latchkey.server.ui.BrowserSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** /userinfo (OIDC Core §5.3, RFC 6750) and logout (/v2/logout, OIDC RP-Initiated Logout 1.0). */
class UserinfoAndLogoutTest {

    static final String API = "https://info.example.com/api";
    static final String CALLBACK = "https://app.example.com/callback";
    static final String LOGGED_OUT = "https://app.example.com/logged-out";
    static TestServer server;
    static String clientId;
    static String clientSecret;
    static String userId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Info API","scopes":[{"value":"read:x"}],
                 "skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
        JsonNode client = server.createClient("""
                {"name":"Info","app_type":"regular_web","callbacks":["%s"],"allowed_logout_urls":["%s"],
                 "web_origins":["https://app.example.com"]}""".formatted(CALLBACK, LOGGED_OUT));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        server.grant(clientId, API, "read:x");
        userId = TestUsers.create(server, "barbara@example.com").userId();
        HttpResponse<String> contact = server.management("PATCH", "api/v2/users/" + encode(userId), """
                {"phone_number":"+14155550100","phone_verified":true,
                 "address":{"street_address":"1 Main St","locality":"Springfield","postal_code":"12345","country":"US"}}""");
        assertThat(contact.statusCode()).as(contact.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Logs in through a code flow and returns the token response. */
    static JsonNode tokens(Browser browser, String scope, String audience) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", CALLBACK);
        params.put("scope", scope);
        params.put("nonce", "n");
        if (audience != null) {
            params.put("audience", audience);
        }
        HttpResponse<String> response = browser.authorize(params);
        if (response.headers().firstValue("Location").orElseThrow().contains("/u/login")) {
            response = browser.logIn("barbara@example.com", TestUsers.PASSWORD);
        }
        String code = Browser.redirectParams(response).get("code");
        HttpResponse<String> token = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + code + "&redirect_uri=" + CALLBACK);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token);
    }

    static HttpResponse<String> userinfo(String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("userinfo")).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request);
    }

    @Test
    void opaqueTokenGetsTheClaimsOfItsScopes() {
        JsonNode tokens = tokens(new Browser(server), "openid profile email", null);
        HttpResponse<String> response = userinfo("Bearer " + tokens.path("access_token").asText());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode claims = json(response);
        assertThat(claims.path("sub").asText()).isEqualTo(userId);
        assertThat(claims.path("email").asText()).isEqualTo("barbara@example.com");
        assertThat(claims.path("email_verified").asBoolean()).isTrue();
        assertThat(claims.path("name").asText()).isEqualTo("barbara Example");
        // OIDC Core §5.4: phone and address claims only with their scopes.
        assertThat(claims.has("phone_number")).isFalse();
        assertThat(claims.has("address")).isFalse();
        // OIDC Core §5.1: updated_at is a JSON number of seconds since the epoch (not Auth0's ISO string).
        assertThat(claims.path("updated_at").isIntegralNumber()).as(claims.toString()).isTrue();
        long updatedAt = server.latchkey().users().findById(userId).orElseThrow().updatedAt().getEpochSecond();
        assertThat(claims.path("updated_at").asLong()).isEqualTo(updatedAt);
    }

    @Test
    void phoneAndAddressScopesReleaseTheirClaims() throws Exception {
        // OIDC Core §5.4: the phone scope releases phone_number and phone_verified, the address scope
        // the address (§5.1.1), in the ID token and at /userinfo alike.
        JsonNode tokens = tokens(new Browser(server), "openid phone address", null);
        JWTClaimsSet idToken = SignedJWT.parse(tokens.path("id_token").asText()).getJWTClaimsSet();
        assertThat(idToken.getStringClaim("phone_number")).isEqualTo("+14155550100");
        assertThat(idToken.getBooleanClaim("phone_verified")).isTrue();
        assertThat(idToken.getJSONObjectClaim("address")).containsEntry("street_address", "1 Main St")
                .containsEntry("locality", "Springfield").containsEntry("postal_code", "12345")
                .containsEntry("country", "US").doesNotContainKey("region");
        assertThat(idToken.getClaim("name")).isNull();

        JsonNode claims = json(userinfo("Bearer " + tokens.path("access_token").asText()));
        assertThat(claims.path("phone_number").asText()).isEqualTo("+14155550100");
        assertThat(claims.path("phone_verified").isBoolean()).isTrue();
        assertThat(claims.path("address").path("locality").asText()).isEqualTo("Springfield");
        assertThat(claims.has("email")).isFalse();
    }

    @Test
    void tokenInTheFormBodyIsAccepted() {
        // RFC 6750 §2.2.
        JsonNode tokens = tokens(new Browser(server), "openid", null);
        HttpResponse<String> response = server.postForm("userinfo", "access_token="
                + tokens.path("access_token").asText());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("sub").asText()).isEqualTo(userId);
        assertThat(json(response).has("email")).isFalse();
    }

    @Test
    void jwtWithTheUserinfoAudienceIsAccepted() {
        JsonNode tokens = tokens(new Browser(server), "openid email read:x", API);
        HttpResponse<String> response = userinfo("Bearer " + tokens.path("access_token").asText());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("email").asText()).isEqualTo("barbara@example.com");
    }

    @Test
    void apiOnlyJwtIsRefused() {
        // A client-credentials token for the API has no userinfo audience.
        HttpResponse<String> cc = server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=" + clientSecret + "&audience=" + API);
        HttpResponse<String> response = userinfo("Bearer " + json(cc).path("access_token").asText());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer").contains("error=\"invalid_token\"");

        // Nor is a user token for the API without openid.
        JsonNode tokens = tokens(new Browser(server), "read:x", API);
        HttpResponse<String> noOpenid = userinfo("Bearer " + tokens.path("access_token").asText());
        assertThat(noOpenid.statusCode()).isEqualTo(401);
    }

    @Test
    void managementTokenIsRefused() {
        HttpResponse<String> response = userinfo("Bearer " + server.managementToken());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_token");
    }

    @Test
    void badOrMissingTokensAre401() {
        HttpResponse<String> garbage = userinfo("Bearer not-a-token");
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(garbage.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        HttpResponse<String> missing = userinfo(null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        HttpResponse<String> basic = userinfo("Basic Zm9vOmJhcg==");
        assertThat(basic.statusCode()).isEqualTo(401);
        HttpResponse<String> forgedJwt = userinfo("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
        assertThat(forgedJwt.statusCode()).isEqualTo(401);
    }

    @Test
    void v2LogoutEndsTheSessionAndReturnsOnlyToAllowedUrls() {
        Browser browser = new Browser(server);
        tokens(browser, "openid", null);
        assertThat(browser.cookie(BrowserSession.SESSION_COOKIE)).isNotNull();

        // Open redirect attempts: an error page, never a redirect (RFC 9700 §4.11).
        for (String target : new String[]{"https://evil.example.net/", LOGGED_OUT + "/x", LOGGED_OUT + "?next=1",
                "https://app.example.com@evil.example.net/logged-out"}) {
            HttpResponse<String> refused = new Browser(server).get("v2/logout?client_id=" + clientId + "&returnTo="
                    + java.net.URLEncoder.encode(target, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }
        HttpResponse<String> noClient = new Browser(server).get("v2/logout?returnTo=" + LOGGED_OUT);
        assertThat(noClient.statusCode()).isEqualTo(400);

        HttpResponse<String> logout = browser.get("v2/logout?client_id=" + clientId + "&returnTo=" + LOGGED_OUT);
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(LOGGED_OUT);

        Map<String, String> silent = new LinkedHashMap<>();
        silent.put("response_type", "code");
        silent.put("client_id", clientId);
        silent.put("redirect_uri", CALLBACK);
        silent.put("prompt", "none");
        assertThat(Browser.redirectParams(browser.authorize(silent))).containsEntry("error", "login_required");
    }

    @Test
    void oidcLogoutWithIdTokenHintRedirectsWithState() {
        Browser browser = new Browser(server);
        String idToken = tokens(browser, "openid", null).path("id_token").asText();
        HttpResponse<String> logout = browser.get("oidc/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + LOGGED_OUT + "&state=abc");
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(LOGGED_OUT + "?state=abc");

        Map<String, String> silent = new LinkedHashMap<>();
        silent.put("response_type", "code");
        silent.put("client_id", clientId);
        silent.put("redirect_uri", CALLBACK);
        silent.put("prompt", "none");
        assertThat(Browser.redirectParams(browser.authorize(silent))).containsEntry("error", "login_required");
    }

    @Test
    void oidcLogoutRefusesUnregisteredRedirectsAndForgedHints() {
        HttpResponse<String> unregistered = new Browser(server).get("oidc/logout?client_id=" + clientId
                + "&post_logout_redirect_uri=https://evil.example.net/");
        assertThat(unregistered.statusCode()).isEqualTo(400);
        assertThat(unregistered.headers().firstValue("Location")).isEmpty();

        HttpResponse<String> anonymous = new Browser(server).get("oidc/logout?post_logout_redirect_uri=" + LOGGED_OUT);
        assertThat(anonymous.statusCode()).isEqualTo(400);

        HttpResponse<String> forged = new Browser(server).get("oidc/logout?id_token_hint=eyJhbGciOiJIUzI1NiJ9."
                + "eyJzdWIiOiJ4In0.c2ln&post_logout_redirect_uri=" + LOGGED_OUT);
        assertThat(forged.statusCode()).isEqualTo(400);

        HttpResponse<String> plain = new Browser(server).get("oidc/logout");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).contains("You are logged out");
    }

    /** An ID token as this server would issue it to {@code audience}, signed HS256 with {@code secret}. */
    static String hs256IdToken(String audience, String secret, Object sid) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(server.issuer()).subject(userId).audience(audience)
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .claim("sid", sid).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void idTokenHintMustUseTheAlgorithmOfTheClientsIdTokens() throws Exception {
        // RFC 8725 §3.1: the verifier decides the algorithm. This client's ID tokens are RS256, so an
        // HS256 token made with its client secret is no ID token of ours.
        String forged = hs256IdToken(clientId, clientSecret, "some-sid");
        HttpResponse<String> logout = new Browser(server).get("oidc/logout?id_token_hint=" + forged
                + "&post_logout_redirect_uri=" + LOGGED_OUT);
        assertThat(logout.statusCode()).isEqualTo(400);
        assertThat(logout.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void idTokenHintWithANonStringSidIsNoServerError() throws Exception {
        JsonNode hs256 = server.createClient("""
                {"name":"HS256 app","app_type":"regular_web","callbacks":["%s"],"allowed_logout_urls":["%s"],
                 "jwt_configuration":{"alg":"HS256"}}""".formatted(CALLBACK, LOGGED_OUT));
        String hint = hs256IdToken(hs256.path("client_id").asText(), hs256.path("client_secret").asText(), 12345);
        HttpResponse<String> logout = new Browser(server).get("oidc/logout?id_token_hint=" + hint
                + "&post_logout_redirect_uri=" + LOGGED_OUT);
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
        assertThat(logout.headers().firstValue("Location")).hasValue(LOGGED_OUT);
    }

    @Test
    void discoveryAdvertisesTheBrowserFlows() {
        JsonNode doc = json(server.get(".well-known/openid-configuration"));
        assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(server.issuer() + "authorize");
        assertThat(doc.path("userinfo_endpoint").asText()).isEqualTo(server.issuer() + "userinfo");
        assertThat(doc.path("end_session_endpoint").asText()).isEqualTo(server.issuer() + "oidc/logout");
        assertThat(doc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(doc.path("response_types_supported").toString()).contains("\"code id_token token\"");
        assertThat(doc.path("response_modes_supported").toString()).contains("form_post");
        assertThat(doc.path("grant_types_supported").toString()).contains("authorization_code", "implicit");
        assertThat(doc.path("scopes_supported").toString()).contains("openid");
        assertThat(doc.path("claims_supported").toString()).contains("email");
        assertThat(doc.path("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("RS256");
    }
}
