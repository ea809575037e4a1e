package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code grant_type=client_credentials} at {@code /oauth/token}, as Auth0 runs it. */
class ClientCredentialsTest {

    private static final String API = "https://example.com/health-api";
    private static TestServer server;
    private static String clientId;
    private static String clientSecret;
    private static String basicId;
    private static String basicSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Health","scopes":[
                  {"value":"read:patients","description":"Read patients"},
                  {"value":"read:admin","description":"Admin"},
                  {"value":"write:patients","description":"Write"}]}""".formatted(API));
        JsonNode client = server.createClient("{\"name\":\"billing\",\"app_type\":\"non_interactive\"}");
        clientId = client.get("client_id").asText();
        clientSecret = client.get("client_secret").asText();
        server.grant(clientId, API, "read:patients", "read:admin");
        JsonNode basic = server.createClient("""
                {"name":"basic job","app_type":"non_interactive","token_endpoint_auth_method":"client_secret_basic"}""");
        basicId = basic.get("client_id").asText();
        basicSecret = basic.get("client_secret").asText();
        server.grant(basicId, API, "read:patients");
    }

    private static String basicHeader(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> token(String form) {
        return server.postForm("oauth/token", form);
    }

    private static String credentials() {
        return "client_id=" + clientId + "&client_secret=" + clientSecret;
    }

    @Test
    void issuesAnAuth0ShapedJwtForTheRequestedAudience() throws Exception {
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials() + "&audience=" + API);

        assertThat(response.statusCode()).isEqualTo(200);
        // RFC 6749 §5.1: the token response must not be cached.
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode body = json(response);
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(86400);
        assertThat(body.get("scope").asText()).isEqualTo("read:patients read:admin");

        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
        // Auth0 profile: typ JWT (Spring's default decoder accepts nothing else), kid, RS256.
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey key = (RSAKey) jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(server.issuer());
        assertThat(claims.getSubject()).isEqualTo(clientId + "@clients");
        assertThat(jwt.getPayload().toJSONObject().get("aud")).isEqualTo(API);
        assertThat(claims.getStringClaim("azp")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("gty")).isEqualTo("client-credentials");
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:patients read:admin");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(86_400_000L);
        assertThat(claims.getIssueTime().toInstant()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String first = json(token("grant_type=client_credentials&" + credentials() + "&audience=" + API))
                .get("access_token").asText();
        String second = json(token("grant_type=client_credentials&" + credentials() + "&audience=" + API))
                .get("access_token").asText();
        assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID())
                .isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void requestedScopesNarrowTheToken() {
        JsonNode body = json(token("grant_type=client_credentials&" + credentials() + "&audience=" + API
                + "&scope=read:admin"));
        assertThat(body.get("scope").asText()).isEqualTo("read:admin");
    }

    @Test
    void acceptsHttpBasicClientAuthentication() {
        // RFC 6749 §2.3.1: client_id and secret form-urlencoded, then base64 in the Basic header.
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", basicHeader(basicId, basicSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + API)));
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void theRegisteredAuthenticationMethodIsEnforced() {
        // Auth0 enforces token_endpoint_auth_method: a post client may not use Basic, nor the reverse.
        HttpResponse<String> postClientWithBasic = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", basicHeader(clientId, clientSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + API)));
        assertError(postClientWithBasic, 401, "invalid_client");
        HttpResponse<String> basicClientInBody = token("grant_type=client_credentials&client_id=" + basicId
                + "&client_secret=" + basicSecret + "&audience=" + API);
        assertError(basicClientInBody, 401, "invalid_client");
    }

    @Test
    void hugeInputIsNotEchoedWhole() {
        // A 500 KB grant_type is refused without coming back whole in error_description.
        HttpResponse<String> response = token("grant_type=" + "x".repeat(500_000) + "&" + credentials());
        assertError(response, 400, "unsupported_grant_type");
        assertThat(json(response).get("error_description").asText()).hasSizeLessThan(200);
    }

    @Test
    void acceptsJsonBodiesAsAuth0Does() {
        HttpResponse<String> response = server.postJson("oauth/token", """
                {"grant_type":"client_credentials","client_id":"%s","client_secret":"%s","audience":"%s",
                 "scope":["read:patients"]}""".formatted(clientId, clientSecret, API));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("scope").asText()).isEqualTo("read:patients");
    }

    @Test
    void rfc9068DialectUsesAtJwtAndClientId() throws Exception {
        String audience = "https://rfc9068.example.com";
        server.createApi("{\"identifier\":\"" + audience + "\",\"token_dialect\":\"rfc9068_profile_authz\","
                + "\"scopes\":[{\"value\":\"read:x\"}]}");
        server.grant(clientId, audience, "read:x");
        SignedJWT jwt = SignedJWT.parse(json(token("grant_type=client_credentials&" + credentials()
                + "&audience=" + audience)).get("access_token").asText());
        // RFC 9068 §2.1 typ, §2.2 client_id and jti; Auth0: no azp or gty in this profile.
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getClaim("azp")).isNull();
        assertThat(claims.getClaim("gty")).isNull();
        assertThat(claims.getStringListClaim("permissions")).containsExactly("read:x");
    }

    @Test
    void hs256ApiSignsWithItsSigningSecret() throws Exception {
        String audience = "https://hs256.example.com";
        JsonNode api = server.createApi("{\"identifier\":\"" + audience + "\",\"signing_alg\":\"HS256\"}");
        String secret = api.get("signing_secret").asText();
        server.grant(clientId, audience);
        SignedJWT jwt = SignedJWT.parse(json(token("grant_type=client_credentials&" + credentials()
                + "&audience=" + audience)).get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
    }

    @Test
    void ps256ApiIsVerifiableFromTheJwks() throws Exception {
        String audience = "https://ps256.example.com";
        server.createApi("{\"identifier\":\"" + audience + "\",\"signing_alg\":\"PS256\",\"token_lifetime\":600}");
        server.grant(clientId, audience);
        JsonNode body = json(token("grant_type=client_credentials&" + credentials() + "&audience=" + audience));
        assertThat(body.get("expires_in").asLong()).isEqualTo(600);
        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        RSAKey key = (RSAKey) jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
    }

    // ---- bad input: RFC 6749 §5.2 shapes with Auth0's statuses ----

    @Test
    void wrongSecretIsInvalidClient() {
        HttpResponse<String> response = token("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=wrong&audience=" + API);
        assertError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void unknownClientIsInvalidClientWithTheSameWords() {
        HttpResponse<String> unknown = token("grant_type=client_credentials&client_id=nobody&client_secret=x&audience=" + API);
        HttpResponse<String> wrong = token("grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=x&audience=" + API);
        assertError(unknown, 401, "invalid_client");
        // Nothing tells an attacker which client ids exist.
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void badBasicCredentialsGetABasicChallenge() {
        // RFC 6749 §5.2: 401 with WWW-Authenticate matching the scheme the client used.
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", basicHeader(basicId, "nope"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + API)));
        assertError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void basicAndBodySecretTogetherAreRefused() {
        // RFC 6749 §2.3: one authentication method per request.
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_secret="
                        + clientSecret + "&audience=" + API)));
        assertError(response, 400, "invalid_request");
    }

    @Test
    void missingClientAuthenticationIsInvalidClient() {
        assertError(token("grant_type=client_credentials&audience=" + API), 401, "invalid_client");
    }

    @Test
    void missingGrantTypeIsInvalidRequest() {
        assertError(token(credentials() + "&audience=" + API), 400, "invalid_request");
    }

    @Test
    void unknownGrantTypeIsUnsupported() {
        assertError(token("grant_type=magic&" + credentials()), 400, "unsupported_grant_type");
    }

    @Test
    void missingAudienceIsAccessDenied() {
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials());
        assertError(response, 403, "access_denied");
        assertThat(json(response).get("error_description").asText()).contains("No audience parameter");
    }

    @Test
    void unknownAudienceIsAccessDenied() {
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials()
                + "&audience=https://unknown.example.com");
        assertError(response, 403, "access_denied");
        assertThat(json(response).get("error_description").asText())
                .isEqualTo("Service not enabled within domain: https://unknown.example.com");
    }

    @Test
    void audienceWithoutClientGrantIsAccessDenied() {
        server.createApi("{\"identifier\":\"https://ungranted.example.com\"}");
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials()
                + "&audience=https://ungranted.example.com");
        assertError(response, 403, "access_denied");
        assertThat(json(response).get("error_description").asText()).contains("client-grant");
    }

    @Test
    void scopeNotGrantedIsAccessDenied() {
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials() + "&audience=" + API
                + "&scope=read:patients%20write:patients");
        assertError(response, 403, "access_denied");
        assertThat(json(response).get("error_description").asText())
                .isEqualTo("Client has not been granted scopes: write:patients");
    }

    @Test
    void clientWithoutTheGrantTypeIsUnauthorized() {
        JsonNode web = server.createClient("{\"name\":\"web\",\"app_type\":\"regular_web\","
                + "\"grant_types\":[\"authorization_code\"]}");
        HttpResponse<String> response = token("grant_type=client_credentials&client_id=" + web.get("client_id").asText()
                + "&client_secret=" + web.get("client_secret").asText() + "&audience=" + API);
        assertError(response, 403, "unauthorized_client");
    }

    @Test
    void publicClientCannotUseClientCredentials() {
        // RFC 6749 §4.4: confidential clients only.
        JsonNode spa = server.createClient("{\"name\":\"spa\",\"app_type\":\"spa\"}");
        assertError(token("grant_type=client_credentials&client_id=" + spa.get("client_id").asText()
                + "&audience=" + API), 403, "unauthorized_client");
    }

    @Test
    void repeatedParametersAreRefused() {
        // RFC 6749 §3.2: parameters MUST NOT be included more than once.
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials() + "&audience=" + API
                + "&audience=" + API);
        assertError(response, 400, "invalid_request");
        assertThat(json(response).get("error_description").asText()).contains("audience");
    }

    @Test
    void bodyOverOneMegabyteIsRefused() {
        String padding = "x".repeat(1024 * 1024 + 10);
        HttpResponse<String> response = token("grant_type=client_credentials&" + credentials() + "&pad=" + padding);
        assertError(response, 400, "invalid_request");
        assertThat(json(response).get("error_description").asText()).contains("1 MB");
    }

    @Test
    void malformedJsonIsRefused() {
        assertError(server.postJson("oauth/token", "{\"grant_type\": "), 400, "invalid_request");
        assertError(server.postJson("oauth/token", "[1,2]"), 400, "invalid_request");
        assertError(server.postJson("oauth/token", "{\"grant_type\":\"client_credentials\",\"grant_type\":\"x\"}"),
                400, "invalid_request");
        assertError(server.postJson("oauth/token", "{\"grant_type\":{\"a\":1}}"), 400, "invalid_request");
    }

    @Test
    void wrongContentTypeIsRefused() {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertError(response, 400, "invalid_request");
        assertThat(json(response).get("error_description").asText()).contains("Content-Type");
        HttpResponse<String> none = server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        assertError(none, 400, "invalid_request");
    }

    @Test
    void getIsNotAllowedOnTheTokenEndpoint() {
        HttpResponse<String> response = server.get("oauth/token");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).has("error")).isTrue();
    }

    private static JWKSet jwks() throws Exception {
        return JWKSet.parse(server.get(".well-known/jwks.json").body());
    }

    static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void exchangesAreLoggedWithAuth0sEventTypes() {
        // Auth0 "Log Event Type Codes": seccft / feccft, success / failed exchange of client credentials.
        assertThat(server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + basicId
                + "&client_secret=" + basicSecret + "&audience=" + API).statusCode()).isEqualTo(401);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", basicHeader(basicId, basicSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + API)))
                .statusCode()).isEqualTo(200);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("oauth/token"))
                .header("Authorization", basicHeader(basicId, basicSecret))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&audience=" + API
                        + "&scope=write:patients"))).statusCode()).isEqualTo(403);

        JsonNode success = logOf("seccft", basicId);
        assertThat(success.path("client_name").asText()).isEqualTo("basic job");
        assertThat(success.path("description").asText()).isEqualTo("Client Credentials for Access Token");
        JsonNode failure = logOf("feccft", basicId);
        assertThat(failure.path("details").path("error").asText()).isEqualTo("access_denied");
        assertThat(failure.toString()).doesNotContain(basicSecret);
        assertThat(success.toString()).doesNotContain(basicSecret).doesNotContain("eyJ");
    }

    /** The one log entry of {@code type} for {@code client}, once the queued writer has written it. */
    private static JsonNode logOf(String type, String client) {
        String query = "api/v2/logs?q=" + ManagementCalls.encode("type:" + type + " AND client_id:\"" + client + "\"");
        JsonNode logs = ManagementCalls.eventually(() -> json(server.management("GET", query, null)), l -> l.size() == 1);
        assertThat(logs).hasSize(1);
        return logs.get(0);
    }
}
