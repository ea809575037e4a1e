package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import dev.latchkey.server.ui.BrowserSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static dev.latchkey.server.management.ManagementApiTest.assertManagementError;
import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant settings Latchkey acts on, each where Auth0 applies it: {@code default_audience} at /authorize and
 * /oauth/token, the session lifetimes on the SSO session and its cookie, the tenant's
 * {@code allowed_logout_urls} at /v2/logout; and the settings' checks.
 */
class TenantSettingsEffectsTest {

    private static final String API = "https://default-audience.example.com";
    private static final String CALLBACK = "https://tenant-app.example.com/callback";
    private static final MovableClock CLOCK = MovableClock.startingNow();
    @AutoClose
    private static final TestServer server = TestServer.start(CLOCK);
    private static JsonNode machine;
    private static JsonNode web;

    @BeforeAll
    static void register() {
        server.createApi("{\"identifier\":\"" + API + "\",\"skip_consent_for_verifiable_first_party_clients\":true,\"scopes\":[{\"value\":\"read:x\",\"description\":\"x\"}]}");
        machine = server.createClient("{\"name\":\"tenant machine\",\"app_type\":\"non_interactive\"}");
        server.grant(machine.path("client_id").asText(), API, "read:x");
        web = server.createClient("{\"name\":\"tenant web\",\"app_type\":\"regular_web\",\"callbacks\":[\""
                + CALLBACK + "\"],\"grant_types\":[\"authorization_code\",\"password\","
                + "\"http://auth0.com/oauth/grant-type/password-realm\"]}");
        TestUsers.create(server, "tenant@example.com");
    }

    @AfterEach
    void resetSettings() {
        settings("{\"default_audience\":\"\",\"session_lifetime\":168,\"idle_session_lifetime\":72,"
                + "\"allowed_logout_urls\":[]}", 200);
    }

    @Test
    void defaultAudienceIsTheAudienceOfClientCredentialsWithoutOne() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + machine.path("client_id").asText()
                + "&client_secret=" + machine.path("client_secret").asText();
        HttpResponse<String> without = server.postForm("oauth/token", form);
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(json(without).path("error_description").asText())
                .contains("no default audience has been configured");

        // Auth0 §1.2: "as if the audience were appended to every authorization request".
        settings("{\"default_audience\":\"" + API + "\"}", 200);
        HttpResponse<String> defaulted = server.postForm("oauth/token", form);
        assertThat(defaulted.statusCode()).as(defaulted.body()).isEqualTo(200);
        assertThat(audience(json(defaulted).path("access_token").asText())).contains(API);
    }

    @Test
    void defaultAudienceIsTheAudienceOfAuthorizeAndPasswordWithoutOne() throws Exception {
        settings("{\"default_audience\":\"" + API + "\"}", 200);
        // Auth0 §1.2: with a default audience, /authorize without one gives a JWT for that API.
        Browser browser = new Browser(server);
        browser.authorize(Browser.authorizeParams("code", web.path("client_id").asText(), CALLBACK, "openid", "s"));
        Map<String, String> callback = Browser.redirectParams(browser.logIn("tenant@example.com", TestUsers.PASSWORD));
        assertThat(callback).containsKey("code");
        HttpResponse<String> code = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + web.path("client_id").asText() + "&client_secret=" + web.path("client_secret").asText()
                + "&code=" + callback.get("code") + "&redirect_uri=" + CALLBACK);
        assertThat(code.statusCode()).as(code.body()).isEqualTo(200);
        assertThat(audience(json(code).path("access_token").asText())).contains(API);

        // Auth0 §1.4: the password grant too.
        HttpResponse<String> password = server.postForm("oauth/token", "grant_type=password&client_id="
                + web.path("client_id").asText() + "&client_secret=" + web.path("client_secret").asText()
                + "&username=tenant%40example.com&password=" + URLEncoder.encode(TestUsers.PASSWORD,
                StandardCharsets.UTF_8) + "&realm=Username-Password-Authentication");
        assertThat(password.statusCode()).as(password.body()).isEqualTo(200);
        assertThat(audience(json(password).path("access_token").asText())).contains(API);
    }

    @Test
    void idleSessionLifetimeEndsAnUnusedSessionAndUsePushesItBack() {
        settings("{\"session_lifetime\":2,\"idle_session_lifetime\":1}", 200);
        Browser browser = new Browser(server);
        browser.authorize(Browser.authorizeParams("code", web.path("client_id").asText(), CALLBACK, "openid", "s"));
        HttpResponse<String> login = browser.logIn("tenant@example.com", TestUsers.PASSWORD);
        assertThat(Browser.redirectParams(login)).containsKey("code");
        // The cookie lives as long as the session would unused: the idle hour, within the two absolute ones.
        assertThat(sessionCookie(login)).contains("Max-Age=3600");

        CLOCK.advance(Duration.ofMinutes(50));
        HttpResponse<String> used = browser.authorize(silent());
        assertThat(Browser.redirectParams(used)).containsKey("code");
        assertThat(sessionCookie(used)).contains("Max-Age=3600");
        CLOCK.advance(Duration.ofMinutes(50));
        // 100 minutes after login, alive: the use at 50 minutes moved the idle end to 110.
        HttpResponse<String> again = browser.authorize(silent());
        assertThat(Browser.redirectParams(again)).containsKey("code");
        // The absolute end (120 minutes) now comes first.
        assertThat(sessionCookie(again)).contains("Max-Age=1200");
        CLOCK.advance(Duration.ofMinutes(25));
        assertThat(Browser.redirectParams(browser.authorize(silent()))).containsEntry("error", "login_required");

        Browser idle = new Browser(server);
        idle.authorize(Browser.authorizeParams("code", web.path("client_id").asText(), CALLBACK, "openid", "s"));
        assertThat(Browser.redirectParams(idle.logIn("tenant@example.com", TestUsers.PASSWORD))).containsKey("code");
        CLOCK.advance(Duration.ofMinutes(61));
        assertThat(Browser.redirectParams(idle.authorize(silent()))).containsEntry("error", "login_required");
    }

    @Test
    void v2LogoutWithoutAClientReturnsOnlyToTheTenantsAllowedLogoutUrls() {
        String allowed = "https://tenant-app.example.com/bye";
        HttpResponse<String> before = new Browser(server).get("v2/logout?returnTo=" + allowed);
        assertThat(before.statusCode()).isEqualTo(400);

        settings("{\"allowed_logout_urls\":[\"" + allowed + "\"]}", 200);
        HttpResponse<String> listed = new Browser(server).get("v2/logout?returnTo=" + allowed);
        assertThat(listed.statusCode()).isEqualTo(302);
        assertThat(listed.headers().firstValue("Location")).hasValue(allowed);
        HttpResponse<String> other = new Browser(server).get("v2/logout?returnTo=https://evil.example.net/");
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(other.headers().firstValue("Location")).isEmpty();
        // A client's list is still the client's alone.
        HttpResponse<String> withClient = new Browser(server).get("v2/logout?client_id="
                + web.path("client_id").asText() + "&returnTo=" + allowed);
        assertThat(withClient.statusCode()).isEqualTo(400);
    }

    @Test
    void settingsAreCheckedAsAuth0ChecksThem() {
        assertPayloadError(settings("{\"session_lifetime\":0}", 400), "Value 0 is less than minimum");
        assertPayloadError(settings("{\"session_lifetime\":9000}", 400), "Value 9000 is greater than maximum 8760");
        assertPayloadError(settings("{\"idle_session_lifetime\":2401}", 400), "greater than maximum 2400");
        assertPayloadError(settings("{\"session_lifetime\":\"24\"}", 400), "Expected type number but found type string");
        assertPayloadError(settings("{\"flags\":{\"no_such_flag\":true}}", 400), "Additional properties not allowed");
        assertPayloadError(settings("{\"flags\":{\"enable_sso\":\"yes\"}}", 400), "Expected type boolean");
        assertPayloadError(settings("{\"no_such_setting\":1}", 400), "Additional properties not allowed: no_such_setting");
        assertPayloadError(settings("{\"allowed_logout_urls\":[\"javascript:alert(1)\"]}", 400), "allowed_logout_urls[0]");
        assertPayloadError(settings("{\"resource_parameter_profile\":\"other\"}", 400), "No enum match");
        for (String control : new String[] {"\\u0000", "\\u0007", "\\u001b"}) {
            assertPayloadError(settings("{\"friendly_name\":\"a" + control + "\"}", 400), "control characters");
            assertPayloadError(settings("{\"error_page\":{\"html\":\"a" + control + "\"}}", 400), "control characters");
        }

        // What auth0-deploy-cli sends: minutes, kept as Auth0's hours.
        JsonNode minutes = json(settings("{\"session_lifetime_in_minutes\":90,\"idle_session_lifetime_in_minutes\":30}",
                200));
        assertThat(minutes.path("session_lifetime").asDouble()).isEqualTo(1.5);
        assertThat(minutes.path("idle_session_lifetime").asDouble()).isEqualTo(0.5);
        assertThat(minutes.has("session_lifetime_in_minutes")).isFalse();
    }

    private static void assertPayloadError(HttpResponse<String> response, String words) {
        assertManagementError(response, 400, "invalid_body");
        assertThat(json(response).path("message").asText()).startsWith("Payload validation error").contains(words);
    }

    private static HttpResponse<String> settings(String body, int expected) {
        HttpResponse<String> response = server.management("PATCH", "api/v2/tenants/settings", body);
        assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(expected);
        return response;
    }

    private static Map<String, String> silent() {
        Map<String, String> params = Browser.authorizeParams("code", web.path("client_id").asText(), CALLBACK,
                "openid", "s");
        params.put("prompt", "none");
        return params;
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return Browser.setCookies(response).stream().filter(c -> c.startsWith(BrowserSession.SESSION_COOKIE + "="))
                .findFirst().orElseThrow(() -> new AssertionError("No session cookie in " + response.headers()));
    }

    private static java.util.List<String> audience(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getAudience();
    }
}
