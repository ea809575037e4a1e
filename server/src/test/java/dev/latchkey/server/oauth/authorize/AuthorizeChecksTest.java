package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.interaction.LoginTransactions;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad /authorize requests, check by check, and the redirect URI attacks of RFC 9700 §4.1. */
class AuthorizeChecksTest {

    static final String CALLBACK = "https://app.example.com/callback";
    static TestServer server;
    static String webClient;
    static String m2mClient;
    static String noImplicitClient;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"https://checks.example.com","name":"Checks","scopes":[{"value":"read:a"}]}""");
        webClient = server.createClient("""
                {"name":"Web","app_type":"regular_web","callbacks":["%s","https://app.example.com:8443/cb"],
                 "grant_types":["authorization_code","implicit"]}"""
                .formatted(CALLBACK)).path("client_id").asText();
        m2mClient = server.createClient("""
                {"name":"M2M","app_type":"non_interactive","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        noImplicitClient = server.createClient("""
                {"name":"Code only","app_type":"regular_web","grant_types":["authorization_code"],"callbacks":["%s"]}"""
                .formatted(CALLBACK)).path("client_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> request(String clientId) {
        return Browser.authorizeParams("code", clientId, CALLBACK, "openid", "xyz");
    }

    static HttpResponse<String> authorize(Map<String, String> params) {
        return new Browser(server).authorize(params);
    }

    static void assertErrorPage(HttpResponse<String> response, String text) {
        // RFC 6749 §4.1.2.1: no redirect to an unverified client or URI.
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains(text);
    }

    static void assertRedirectError(HttpResponse<String> response, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
        assertThat(Browser.redirectParams(response)).containsEntry("error", error).containsEntry("state", "xyz");
    }

    @Test
    void missingClientIdShowsAnErrorPage() {
        Map<String, String> params = request(webClient);
        params.remove("client_id");
        assertErrorPage(authorize(params), "client_id");
    }

    @Test
    void unknownClientShowsAnErrorPage() {
        assertErrorPage(authorize(request("no-such-client")), "Unknown client");
    }

    @ParameterizedTest(name = "redirect_uri {0} is refused with a page")
    @ValueSource(strings = {
            "https://app.example.com/callback/extra",            // extra path
            "https://app.example.com/call",                      // prefix
            "https://app.example.com/callbackx",                 // suffix
            "https://app.example.com/callback?x=1",              // added query
            "https://app.example.com:444/callback",              // other port
            "http://app.example.com/callback",                   // other scheme
            "https://APP.example.com/callback",                  // other case
            "https://app.example.com/%63allback",                // encoded characters
            "https://app.example.com/callback/../callback",      // dot segments
            "https://app.example.com@evil.example.net/callback", // userinfo@host
            "https://evil.example.net/callback",                 // other host
            "https://app.example.com.evil.example.net/callback", // host suffix
            "javascript:alert(1)//https://app.example.com/callback"})
    void redirectUriMustMatchACallbackExactly(String redirectUri) {
        // RFC 6749 §3.1.2.3, RFC 9700 §4.1.3: exact string comparison.
        Map<String, String> params = request(webClient);
        params.put("redirect_uri", redirectUri);
        assertErrorPage(authorize(params), "Callback URL mismatch");
    }

    @Test
    void fragmentOnTheRedirectUriIsDroppedNeverFollowed() {
        // Auth0 strips #...; RFC 6749 §3.1.2: the redirection URI has no fragment.
        Map<String, String> params = request(webClient);
        params.put("redirect_uri", CALLBACK + "#@evil.example.net");
        params.put("prompt", "none");
        HttpResponse<String> response = authorize(params);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "?");
    }

    @Test
    void missingRedirectUriNeedsASingleCallback() {
        Map<String, String> params = request(webClient);
        params.remove("redirect_uri");
        assertErrorPage(authorize(params), "redirect_uri");
    }

    @Test
    void repeatedClientIdShowsAnErrorPage() {
        HttpResponse<String> response = new Browser(server).get("authorize?response_type=code&client_id=" + webClient
                + "&client_id=" + webClient + "&redirect_uri=" + CALLBACK);
        assertErrorPage(response, "repeated");
    }

    @Test
    void repeatedParameterIsInvalidRequest() {
        // RFC 6749 §3.1: parameters must not be included more than once.
        HttpResponse<String> response = new Browser(server).get("authorize?response_type=code&client_id=" + webClient
                + "&redirect_uri=" + CALLBACK + "&state=xyz&scope=openid&scope=email");
        assertRedirectError(response, "invalid_request");
    }

    @Test
    void controlCharactersInAParameterAreInvalidRequest() {
        // A scope-token is printable ASCII (RFC 6749 §3.3). AuthorizeChecksFuzzTest found scope=%0C answered
        // with a 500: the SDK refuses a blank scope-token with an IllegalArgumentException.
        Map<String, String> params = request(webClient);
        params.put("scope", "openid \f");
        assertRedirectError(authorize(params), "invalid_request");
        params.put("scope", "openid");
        params.put("login_hint", "jane\u0000@example.com");
        assertRedirectError(authorize(params), "invalid_request");
    }

    @Test
    void missingResponseTypeIsInvalidRequest() {
        Map<String, String> params = request(webClient);
        params.remove("response_type");
        assertRedirectError(authorize(params), "invalid_request");
    }

    @Test
    void unknownResponseTypeIsUnsupported() {
        Map<String, String> params = request(webClient);
        params.put("response_type", "code device");
        assertRedirectError(authorize(params), "unsupported_response_type");
    }

    @Test
    void responseTypeNeedsTheGrantOnTheClient() {
        Map<String, String> params = request(m2mClient);
        assertRedirectError(authorize(params), "unauthorized_client");
        Map<String, String> implicit = request(noImplicitClient);
        implicit.put("response_type", "token");
        implicit.put("response_mode", "fragment");
        assertRedirectError(authorize(implicit), "unauthorized_client");
    }

    @Test
    void idTokenNeedsOpenidScope() {
        Map<String, String> params = request(webClient);
        params.put("response_type", "id_token");
        params.put("scope", "profile");
        params.put("nonce", "n");
        assertRedirectError(authorize(params), "invalid_request");
    }

    @Test
    void tokensNeverGoInTheQuery() {
        // OAuth 2.0 Multiple Response Types §2.1.
        Map<String, String> params = request(webClient);
        params.put("response_type", "token");
        params.put("response_mode", "query");
        HttpResponse<String> response = authorize(params);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "#");
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request");
    }

    @Test
    void unknownResponseModeIsInvalidRequest() {
        Map<String, String> params = request(webClient);
        params.put("response_mode", "carrier_pigeon");
        assertRedirectError(authorize(params), "invalid_request");
    }

    @Test
    void webMessageNeedsAnAllowedWebOrigin() {
        Map<String, String> params = request(webClient);
        params.put("response_mode", "web_message");
        params.put("prompt", "none");
        HttpResponse<String> response = authorize(params);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request");
    }

    @Test
    void pkceChallengeMustBeWellFormed() {
        Map<String, String> params = request(webClient);
        params.put("code_challenge", "short");
        params.put("code_challenge_method", "S256");
        assertRedirectError(authorize(params), "invalid_request");

        Map<String, String> noMethod = request(webClient);
        noMethod.put("code_challenge", Pkce.create().challenge());
        assertRedirectError(authorize(noMethod), "invalid_request");

        Map<String, String> methodOnly = request(webClient);
        methodOnly.put("code_challenge_method", "S256");
        assertRedirectError(authorize(methodOnly), "invalid_request");
    }

    @Test
    void nonceIsRequiredWithAnIdTokenFromThisEndpoint() {
        // OIDC Core §3.2.2.1.
        for (String type : new String[]{"id_token", "id_token token", "code id_token"}) {
            Map<String, String> params = request(webClient);
            params.put("response_type", type);
            HttpResponse<String> response = authorize(params);
            assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "#");
            assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request")
                    .containsEntry("state", "xyz");
        }
    }

    @Test
    void acrValuesAreVoluntaryButBounded() {
        // OIDC Core §3.1.2.1: unknown classes do not fail the request; an oversized list does.
        Map<String, String> unknown = request(webClient);
        unknown.put("acr_values", "urn:example:loa:4");
        unknown.put("prompt", "none");
        assertRedirectError(authorize(unknown), "login_required");
        Map<String, String> huge = request(webClient);
        huge.put("acr_values", "a".repeat(AcrValuesCheck.MAX_LENGTH + 1));
        assertRedirectError(authorize(huge), "invalid_request");
    }

    @Test
    void unknownAudienceIsAccessDenied() {
        // Auth0: "Service not found: <audience>".
        Map<String, String> params = request(webClient);
        params.put("audience", "https://nope.example.com");
        HttpResponse<String> response = authorize(params);
        assertRedirectError(response, "access_denied");
        assertThat(Browser.redirectParams(response))
                .containsEntry("error_description", "Service not found: https://nope.example.com");
    }

    @Test
    void promptNoneCannotBeCombined() {
        Map<String, String> params = request(webClient);
        params.put("prompt", "none login");
        assertRedirectError(authorize(params), "invalid_request");
        Map<String, String> unknown = request(webClient);
        unknown.put("prompt", "dance");
        assertRedirectError(authorize(unknown), "invalid_request");
    }

    @Test
    void maxAgeMustBeANumber() {
        Map<String, String> params = request(webClient);
        params.put("max_age", "soon");
        assertRedirectError(authorize(params), "invalid_request");
    }

    @Test
    void promptNoneWithoutSessionIsLoginRequired() {
        // OIDC Core §3.1.2.6.
        Map<String, String> params = request(webClient);
        params.put("prompt", "none");
        assertRedirectError(authorize(params), "login_required");
    }

    @Test
    void errorsUseTheRequestedFormPostMode() {
        Map<String, String> params = request(webClient);
        params.put("prompt", "none");
        params.put("response_mode", "form_post");
        HttpResponse<String> response = authorize(params);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("action=\"" + CALLBACK + "\"");
        assertThat(Browser.formPostFields(response)).containsEntry("error", "login_required")
                .containsEntry("state", "xyz");
    }

    @Test
    void loginPageIsNotFrameable() {
        HttpResponse<String> response = authorize(request(webClient));
        HttpResponse<String> page = new Browser(server).get(response.headers().firstValue("Location").orElseThrow());
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    }

    @Test
    void overLongStateIsInvalidRequestAndNotEchoed() {
        // RFC 6749 §4.1.2.1: errors go to a checked redirect URI; the state is stored per login, so bounded.
        Map<String, String> params = request(webClient);
        params.put("state", "s".repeat(StateCheck.MAX_LENGTH + 1));
        HttpResponse<String> response = authorize(params);
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK + "?");
        assertThat(Browser.redirectParams(response)).containsEntry("error", "invalid_request").doesNotContainKey("state");

        Map<String, String> longest = request(webClient);
        longest.put("state", "s".repeat(StateCheck.MAX_LENGTH));
        assertThat(authorize(longest).headers().firstValue("Location").orElseThrow()).contains("/u/login?state=");
    }

    @Test
    void overLongStateWithAnUncheckedRedirectUriGetsAPage() {
        // RFC 6749 §4.1.2.1: never redirect to an unverified URI, whatever else is wrong.
        Map<String, String> params = request(webClient);
        params.put("redirect_uri", "https://evil.example.net/callback");
        params.put("state", "s".repeat(StateCheck.MAX_LENGTH + 1));
        assertErrorPage(authorize(params), "Callback URL mismatch");
    }

    @Test
    void oversizedAuthorizeRequestGetsAnErrorPage() {
        Map<String, String> params = request(webClient);
        HttpResponse<String> posted = new Browser(server).post("authorize", params);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).contains("/u/login?state=");
        params.put("padding", "p".repeat(AuthorizeEndpoint.MAX_REQUEST_BYTES));
        assertErrorPage(new Browser(server).post("authorize", params), "larger than");
    }

    @Test
    void aFullNetworkEvictsItsOldestOpenLoginInsteadOfRefusingEveryone() {
        // Each unfinished login is a stored row for 30 minutes, so one network may hold only so many; but one
        // address is often a whole office or NAT, and a refusal would let anyone there shut every browser out
        // (OWASP ASVS 11.1.4): the oldest open login gives way instead.
        try (TestServer own = TestServer.start()) {
            String clientId = own.createClient("""
                    {"name":"Web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                    .path("client_id").asText();
            Browser victim = new Browser(own);
            String victimLogin = victim.authorize(request(clientId)).headers().firstValue("Location").orElseThrow();
            assertThat(victim.get(victimLogin).statusCode()).isEqualTo(200);
            for (int i = 0; i < LoginTransactions.MAX_OPEN_PER_NETWORK + 10; i++) {
                HttpResponse<String> started = new Browser(own).authorize(request(clientId)); // no cookies
                assertThat(started.statusCode()).as("login " + i).isEqualTo(302);
                assertThat(started.headers().firstValue("Location").orElseThrow()).contains("/u/login?state=");
            }

            Browser later = new Browser(own);
            later.authorize(request(clientId));
            assertThat(later.follow().statusCode()).isEqualTo(200);
            assertThat(later.last().body()).contains("name=\"password\"");
            assertThat(victim.get(victimLogin).body()).as("the oldest login gave way").contains("expired");
            int open = org.jdbi.v3.core.Jdbi.create(own.latchkey().settings().databaseUrl()).withHandle(h -> h
                    .createQuery("SELECT COUNT(*) FROM login_transactions").mapTo(Integer.class).one());
            assertThat(open).isEqualTo(LoginTransactions.MAX_OPEN_PER_NETWORK);
        }
    }

    @Test
    void callbackTheSdkRefusesCannotBeRegistered() {
        // A callback carrying a state parameter is not a legal redirect URI for the Nimbus SDK; it is
        // refused at registration, and RedirectUriCheck would give a page rather than a redirect for one
        // stored before that rule (RFC 6749 §4.1.2.1).
        HttpResponse<String> response = server.management("POST", "api/v2/clients",
                "{\"name\":\"Odd callback\",\"app_type\":\"regular_web\","
                        + "\"callbacks\":[\"https://app.example.com/cb?state=fixed\"]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("callbacks[0]");
    }

    @Test
    void formPostGoesOnlyToAnHttpCallback() {
        // Form Post Response Mode §2: the form posts to the client's web address, never another scheme.
        String appScheme = "com.example.app:/callback";
        String clientId = server.createClient("""
                {"name":"App scheme","app_type":"regular_web","callbacks":["%s"]}""".formatted(appScheme))
                .path("client_id").asText();
        Map<String, String> params = request(clientId);
        params.put("redirect_uri", appScheme);
        params.put("response_mode", "form_post");
        params.put("prompt", "none");
        HttpResponse<String> response = authorize(params);
        assertErrorPage(response, "form_post");
        assertThat(response.body()).doesNotContain("<form");

        // Errors found before the response mode is checked fall back to a page too.
        params.put("response_type", "code unknown");
        HttpResponse<String> early = authorize(params);
        assertErrorPage(early, "form_post");
        assertThat(early.body()).doesNotContain("<form");
    }

    @Test
    void requestObjectsAreNotSupported() {
        // OIDC Core §6.1, §6.2, §3.1.2.6.
        Map<String, String> byValue = request(webClient);
        byValue.put("request", "eyJhbGciOiJub25lIn0.eyJzdGF0ZSI6Inh5eiJ9.");
        assertRedirectError(authorize(byValue), "request_not_supported");

        Map<String, String> byReference = request(webClient);
        byReference.put("request_uri", "https://app.example.com/request.jwt");
        assertRedirectError(authorize(byReference), "request_uri_not_supported");

        Map<String, String> unknownClient = request("no-such-client");
        unknownClient.put("request", "x");
        assertErrorPage(authorize(unknownClient), "Unknown client");
    }

    @ParameterizedTest(name = "max_age {0} is invalid_request")
    @ValueSource(strings = {"9223372036854775807", "315360001", "-1"})
    void maxAgeMustBeAtMostTenYears(String maxAge) {
        // OIDC Core §3.1.2.1: a non-negative number of seconds; beyond 10 years it is refused.
        for (String scope : new String[]{"openid", "profile"}) {
            Map<String, String> params = request(webClient);
            params.put("scope", scope);
            params.put("max_age", maxAge);
            assertRedirectError(authorize(params), "invalid_request");
        }
    }
}
