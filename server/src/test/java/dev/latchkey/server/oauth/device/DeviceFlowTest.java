package dev.latchkey.server.oauth.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.latchkey.server.testing.ManagementCalls.encode;
import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device authorization against the running server (RFC 8628; Auth0 §1.5): the code endpoint, the
 * {@code /activate} page through the login and consent pages, and every answer of the token endpoint's poll;
 * the bad inputs: guessed codes, polling too fast, a code used twice, a code approved by a second user.
 */
class DeviceFlowTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String API = "https://tv.example.com/api";
    static final MovableClock CLOCK = MovableClock.startingNow();
    static TestServer server;
    static String tvApp;
    static String noDeviceApp;

    @BeforeAll
    static void start() {
        server = TestServer.start(CLOCK);
        server.createApi("""
                {"identifier":"%s","name":"TV API","scopes":[{"value":"watch:shows","description":"Watch shows"}],
                 "allow_offline_access":true}""".formatted(API));
        // Auth0 §1.5: a native app (token_endpoint_auth_method none); its refresh tokens rotate.
        tvApp = server.createClient("""
                {"name":"Living Room TV","app_type":"native","grant_types":["%s","refresh_token"],
                 "refresh_token":{"rotation_type":"rotating","expiration_type":"expiring"}}""".formatted(GRANT))
                .path("client_id").asText();
        noDeviceApp = server.createClient("""
                {"name":"Phone app","app_type":"native","grant_types":["authorization_code"]}""")
                .path("client_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode deviceCode(String clientId, String extra) {
        HttpResponse<String> response = server.postForm("oauth/device/code", "client_id=" + clientId + extra);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static HttpResponse<String> poll(String clientId, String deviceCode) {
        return server.postForm("oauth/token", "grant_type=" + encode(GRANT) + "&client_id=" + clientId
                + "&device_code=" + deviceCode);
    }

    static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response).path("error").asText()).as(response.body()).isEqualTo(error);
    }

    static String newUser() {
        String email = "viewer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        TestUsers.create(server, email);
        return email;
    }

    /** Enters {@code typed} at /activate in {@code browser}, logs {@code email} in, and answers the consent page. */
    static HttpResponse<String> enterCodeAndLogIn(Browser browser, String typed, String email) {
        HttpResponse<String> entered = browser.post("activate", Map.of("user_code", typed));
        assertThat(entered.statusCode()).as(entered.body()).isEqualTo(302);
        HttpResponse<String> loggedIn = browser.logIn(email, TestUsers.PASSWORD);
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElseThrow()).contains("/u/consent?");
        return browser.follow();
    }

    @Test
    void deviceCodeResponseHasAuth0sShape() {
        JsonNode answer = deviceCode(tvApp, "&scope=openid");
        // RFC 8628 §3.2; Auth0 §1.5: XXXX-XXXX from RFC 8628 §6.1's alphabet, 900 s, interval 5.
        assertThat(answer.path("device_code").asText()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(answer.path("user_code").asText()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(answer.path("verification_uri").asText()).isEqualTo(server.issuer() + "activate");
        assertThat(answer.path("verification_uri_complete").asText())
                .isEqualTo(server.issuer() + "activate?user_code=" + answer.path("user_code").asText());
        assertThat(answer.path("expires_in").asInt()).isEqualTo(900);
        assertThat(answer.path("interval").asInt()).isEqualTo(5);
    }

    @Test
    void discoveryAdvertisesTheDeviceEndpointAndGrant() {
        // RFC 8628 §4.
        JsonNode discovery = json(server.get(".well-known/openid-configuration"));
        assertThat(discovery.path("device_authorization_endpoint").asText())
                .isEqualTo(server.issuer() + "oauth/device/code");
        assertThat(discovery.path("grant_types_supported").toString()).contains(GRANT);
    }

    @Test
    void userApprovesAtActivateAndTheDeviceGetsTokensThenTheCodeIsUsedUp() throws Exception {
        JsonNode device = deviceCode(tvApp, "&scope=" + encode("openid offline_access watch:shows")
                + "&audience=" + encode(API));
        String deviceCode = device.path("device_code").asText();
        // RFC 8628 §3.5: authorization_pending while the user has not answered (Auth0: 403).
        assertError(poll(tvApp, deviceCode), 403, "authorization_pending");

        Browser browser = new Browser(server);
        // RFC 8628 §3.3.1: verification_uri_complete pre-fills the code; the user still presses Continue.
        HttpResponse<String> page = browser.get(device.path("verification_uri_complete").asText());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"" + device.path("user_code").asText() + "\"");
        // Entry is case-insensitive, with or without the dash.
        String typed = device.path("user_code").asText().replace("-", "").toLowerCase();
        HttpResponse<String> consent = enterCodeAndLogIn(browser, typed, newUser());
        // The user sees the application and the scopes before confirming.
        assertThat(consent.body()).contains("Living Room TV").contains("Watch shows").contains("Stay signed in");
        // RFC 8628 §5.4: the user is told to make sure the request is their own device's.
        assertThat(consent.body()).contains("started this on your own device");
        HttpResponse<String> done = browser.submit("u/consent", Map.of("action", "accept"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Device connected");

        CLOCK.advance(Duration.ofSeconds(5));
        HttpResponse<String> tokens = poll(tvApp, deviceCode);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode body = json(tokens);
        assertThat(body.path("id_token").asText()).isNotEmpty();
        // Auth0 §1.4: offline_access and an API allowing offline access give a refresh token.
        assertThat(body.path("refresh_token").asText()).isNotEmpty();
        var claims = SignedJWT.parse(body.path("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getAudience()).contains(API);
        assertThat(claims.getStringClaim("scope")).contains("watch:shows");
        // Auth0 puts gty only in client-credentials, password and refresh tokens.
        assertThat(claims.getClaim("gty")).isNull();

        // Used twice: invalid_grant (RFC 6749 §5.2), and the tokens it gave are revoked.
        assertError(poll(tvApp, deviceCode), 400, "invalid_grant");
        HttpResponse<String> refreshed = server.postForm("oauth/token", "grant_type=refresh_token&client_id=" + tvApp
                + "&refresh_token=" + body.path("refresh_token").asText());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(403);

        // Auth0 log events: sede for the exchange.
        assertThat(logged("sede", tvApp).get(0).path("type").asText()).isEqualTo("sede");
    }

    @Test
    void pollingFasterThanTheIntervalIsSlowedDownAndTheIntervalGrows() {
        String deviceCode = deviceCode(tvApp, "&scope=openid").path("device_code").asText();
        assertError(poll(tvApp, deviceCode), 403, "authorization_pending");
        // RFC 8628 §3.5: slow_down (Auth0: 429), and the interval grows by 5 s, to 10 s.
        HttpResponse<String> tooFast = poll(tvApp, deviceCode);
        assertError(tooFast, 429, "slow_down");
        assertThat(json(tooFast).path("error_description").asText()).contains("interval of 5 seconds");
        assertError(poll(tvApp, deviceCode), 429, "slow_down");
        CLOCK.advance(Duration.ofSeconds(6));
        assertError(poll(tvApp, deviceCode), 429, "slow_down");
        CLOCK.advance(Duration.ofSeconds(4));
        assertError(poll(tvApp, deviceCode), 403, "authorization_pending");
        // Polling, pending or slowed, is no failure: nothing is logged for it.
        JsonNode failures = json(server.management("GET", "api/v2/logs?q=" + encode("type:fede AND client_id:\""
                + tvApp + "\""), null));
        failures.forEach(event -> assertThat(event.path("details").path("error").asText())
                .isNotIn("authorization_pending", "slow_down"));
    }

    @Test
    void anExpiredCodeIsExpiredTokenOnceThenInvalidGrant() {
        String deviceCode = deviceCode(tvApp, "&scope=openid").path("device_code").asText();
        CLOCK.advance(DeviceAuthorizationEndpoint.LIFETIME);
        // RFC 8628 §3.5 expired_token; Auth0: once, then invalid_grant.
        assertError(poll(tvApp, deviceCode), 403, "expired_token");
        assertError(poll(tvApp, deviceCode), 400, "invalid_grant");
    }

    @Test
    void aDeclinedRequestIsAccessDeniedForTheDevice() {
        JsonNode device = deviceCode(tvApp, "&scope=openid");
        Browser browser = new Browser(server);
        enterCodeAndLogIn(browser, device.path("user_code").asText(), newUser());
        HttpResponse<String> done = browser.submit("u/consent", Map.of("action", "deny"));
        assertThat(done.body()).contains("Device not connected");
        // RFC 8628 §3.5 access_denied (Auth0: 403).
        assertError(poll(tvApp, device.path("device_code").asText()), 403, "access_denied");
        // Auth0's fdecc: the user cancelled the device confirmation.
        assertThat(logged("fdecc", tvApp).size()).isPositive();
    }

    static JsonNode logged(String type, String clientId) {
        String q = "type:" + type + (clientId == null ? "" : " AND client_id:\"" + clientId + "\"");
        return eventually(() -> json(server.management("GET", "api/v2/logs?q=" + encode(q), null)),
                found -> found.size() > 0);
    }

    @Test
    void aSecondUserCannotTakeOverACodeAnotherApproved() {
        JsonNode device = deviceCode(tvApp, "&scope=openid");
        String userCode = device.path("user_code").asText();
        Browser first = new Browser(server);
        Browser second = new Browser(server);
        // Both reach the consent page while the code is pending; the first to confirm wins.
        enterCodeAndLogIn(first, userCode, newUser());
        enterCodeAndLogIn(second, userCode, newUser());
        assertThat(first.submit("u/consent", Map.of("action", "accept")).body()).contains("Device connected");
        HttpResponse<String> late = second.submit("u/consent", Map.of("action", "accept"));
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("already used");
        // The user code is single use: entering it again is refused as a wrong code.
        Browser third = new Browser(server);
        HttpResponse<String> again = third.post("activate", Map.of("user_code", userCode));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains(ActivatePageText.WRONG_CODE);
    }

    @Test
    void guessedDeviceCodesAndOtherClientsCodesAreInvalidGrant() {
        String deviceCode = deviceCode(tvApp, "&scope=openid").path("device_code").asText();
        // RFC 8628 §3.4 / RFC 6749 §5.2.
        assertError(poll(tvApp, "guessed-" + UUID.randomUUID()), 400, "invalid_grant");
        String other = server.createClient("""
                {"name":"Other TV","app_type":"native","grant_types":["%s"]}""".formatted(GRANT))
                .path("client_id").asText();
        assertError(poll(other, deviceCode), 400, "invalid_grant");
        assertError(server.postForm("oauth/token", "grant_type=" + encode(GRANT) + "&client_id=" + tvApp),
                400, "invalid_request");
        // The code's own client was not disturbed.
        assertError(poll(tvApp, deviceCode), 403, "authorization_pending");
    }

    @Test
    void clientsMustEnableTheGrant() {
        // Auth0: the grant must be in the client's grant_types, at both endpoints.
        assertError(server.postForm("oauth/device/code", "client_id=" + noDeviceApp + "&scope=openid"), 403,
                "unauthorized_client");
        assertError(poll(noDeviceApp, "anything"), 403, "unauthorized_client");
        // RFC 8628 §3.1 / RFC 6749 §5.2: an unknown client.
        assertError(server.postForm("oauth/device/code", "client_id=nobody&scope=openid"), 401, "invalid_client");
        assertError(server.postForm("oauth/device/code", "scope=openid"), 401, "invalid_client");
    }

    @Test
    void anUnknownAudienceIsRefused() {
        assertError(server.postForm("oauth/device/code", "client_id=" + tvApp + "&audience="
                + encode("https://nowhere.example.com")), 403, "access_denied");
        // Auth0's fdeaz: a refused device authorization request.
        assertThat(logged("fdeaz", tvApp).size()).isPositive();
    }

    @Test
    void wrongUserCodesAreThrottledPerNetwork() {
        // RFC 8628 §5.1: 10 wrong entries, then every entry is refused, the right code too.
        JsonNode device = deviceCode(tvApp, "&scope=openid");
        Browser browser = new Browser(server);
        assertThat(browser.post("activate", Map.of("user_code", "not a code")).statusCode()).isEqualTo(400);
        for (int i = 1; i < 10; i++) {
            HttpResponse<String> wrong = browser.post("activate", Map.of("user_code", "BCDF-GHJ" + "KLMNPQRST".charAt(i - 1)));
            assertThat(wrong.statusCode()).as("entry %d", i + 1).isIn(400, 429);
        }
        HttpResponse<String> refused = browser.post("activate", Map.of("user_code", device.path("user_code").asText()));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("Too many wrong codes");
        // Auth0's fdeac: a failed device activation.
        assertThat(logged("fdeac", null).size()).isPositive();
    }

    @Test
    void aFormPostedFromAnotherSiteIsRejected() {
        HttpResponse<String> response = server.send(java.net.http.HttpRequest.newBuilder(server.uri("activate"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("user_code=BCDF-GHJK")));
        assertThat(response.statusCode()).isEqualTo(403);
        // A sandboxed frame elsewhere posts with Origin: null; the fetch metadata gives it away.
        HttpResponse<String> sandboxed = server.send(java.net.http.HttpRequest.newBuilder(server.uri("activate"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "null")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("user_code=BCDF-GHJK")));
        assertThat(sandboxed.statusCode()).isEqualTo(403);
    }

    /** The page's texts the tests look for. */
    static final class ActivatePageText {
        static final String WRONG_CODE = "That code is not valid";
    }
}
