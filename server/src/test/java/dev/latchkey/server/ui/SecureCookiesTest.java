package dev.latchkey.server.ui;

import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cookies are Secure when the request came over HTTPS, here through a trusted proxy (RFC 6265bis
 * §4.1.2.5), and then carry the {@code __Host-} prefix (§4.1.3.2), under which alone they are read.
 */
class SecureCookiesTest {

    static final String CALLBACK = "https://app.example.com/cb";
    static TestServer server;
    static String clientId;

    @BeforeAll
    static void start() {
        server = TestServer.start(s -> new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(),
                s.databaseUrl(), s.databaseUser(), s.databasePassword(), s.masterKey(), s.bootstrapClientId(),
                s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), List.of("127.0.0.1"), s.metricsToken()));
        clientId = server.createClient("""
                {"name":"Web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        TestUsers.create(server, "grace@example.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String authorizeQuery(String prompt) {
        return "authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + CALLBACK + "&scope=openid"
                + (prompt == null ? "" : "&prompt=" + prompt);
    }

    static HttpResponse<String> overHttps(HttpRequest.Builder request, String cookie) {
        request.header("X-Forwarded-Proto", "https");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return server.send(request);
    }

    static HttpResponse<String> getOverHttps(String path, String cookie) {
        return overHttps(HttpRequest.newBuilder(server.uri(path)).GET(), cookie);
    }

    /** {@code name=value} of the first Set-Cookie. */
    static String cookiePair(HttpResponse<String> response) {
        return response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @Test
    void cookiesAreSecureBehindAnHttpsProxy() {
        HttpResponse<String> proxied = getOverHttps(authorizeQuery(null), null);
        assertThat(proxied.statusCode()).isEqualTo(302);
        assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly").contains("SameSite=Lax").contains("; Secure");

        HttpResponse<String> plain = server.get(authorizeQuery(null));
        assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
    }

    @Test
    void secureCookiesCarryTheHostPrefixAndOnlyThatNameIsRead() {
        // RFC 6265bis §4.1.3.2: __Host- cookies are Secure, Path=/ and without Domain, so neither a
        // sibling subdomain nor a plain-http page can plant one.
        HttpResponse<String> proxied = getOverHttps(authorizeQuery(null), null);
        String browserCookie = proxied.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(browserCookie).startsWith("__Host-latchkey_browser=").contains("; Path=/;").contains("; Secure")
                .doesNotContain("Domain");
        assertThat(server.get(authorizeQuery(null)).headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("latchkey_browser=").contains("; Path=/;");

        String state = URI.create(proxied.headers().firstValue("Location").orElseThrow()).getRawQuery()
                .substring("state=".length());
        String loginPage = "u/login?state=" + state;
        String prefixed = cookiePair(proxied);
        String unprefixed = prefixed.substring("__Host-".length());
        HttpResponse<String> page = getOverHttps(loginPage, prefixed);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(getOverHttps(loginPage, unprefixed).statusCode()).isEqualTo(400);

        String csrf = Browser.hiddenFields(page.body()).get("csrf");
        HttpResponse<String> loggedIn = overHttps(HttpRequest.newBuilder(server.uri("u/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(Map.of("state", state, "csrf", csrf,
                        "email", "grace@example.com", "password", TestUsers.PASSWORD)))), prefixed);
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(302);
        String session = loggedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-latchkey_session=")).findFirst().orElseThrow();
        assertThat(session).contains("; Path=/;").contains("; Secure");

        String sessionPair = session.split(";")[0];
        HttpResponse<String> silent = getOverHttps(authorizeQuery("none"), sessionPair);
        assertThat(Browser.redirectParams(silent)).containsKey("code");
        HttpResponse<String> planted = getOverHttps(authorizeQuery("none"),
                sessionPair.substring("__Host-".length()));
        assertThat(Browser.redirectParams(planted)).containsEntry("error", "login_required");
    }
}
