package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's SPA SDK ({@code @auth0/auth0-spa-js} 2.27.0) in a real browser (Debian's Chromium driven by
 * playwright-core): loginWithRedirect through the login and consent pages (code + PKCE, RFC 7636),
 * the code exchanged at /oauth/token across origins (CORS), then getTokenSilently(): from the SDK's
 * cache and by a silent authorization in a hidden iframe (prompt=none, web_message) that rides the
 * SSO session; or, with {@code useRefreshTokens: true}, by exchanging a rotating refresh token once
 * the access token has expired, which {@code revokeRefreshToken()} then revokes. Screenshots of the
 * pages are kept in target/screenshots.
 */
class Auth0SpaJsBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    static final String API = "https://spa-notes.example/api";
    static final int ACCESS_TOKEN_LIFETIME = 300;

    @Test
    void spaSdkLogsInAndGetsTokensSilently() throws Exception {
        requirePeers();
        try (SpaPage page = SpaPage.open(null); TestServer server = TestServer.start()) {
            JsonNode client = spaClient(server, page.origin());
            TestUsers.create(server, "spa-user@example.com");

            JsonNode answer = page.run(server, client, "spa-user@example.com", Map.of(), SCREENSHOTS);

            assertThat(answer.path("user").path("email").asText()).isEqualTo("spa-user@example.com");
            assertThat(answer.path("cached").asText()).isNotEmpty();
            assertThat(answer.path("silent").path("access_token").asText()).isNotEmpty()
                    .isNotEqualTo(answer.path("cached").asText());
            assertThat(answer.path("silent").path("id_token").asText()).isNotEmpty();
            assertThat(SCREENSHOTS.resolve("login.png")).exists();
            assertThat(SCREENSHOTS.resolve("consent.png")).exists();
        }
    }

    /**
     * {@code useRefreshTokens: true}: the SDK asks for {@code offline_access}; a SPA is a public
     * client, so its refresh tokens rotate (Auth0 §4.2, RFC 9700 §4.14.2). The server's clock moves
     * past the API's {@code token_lifetime}; the SDK then exchanges its refresh token at /oauth/token
     * from the page's origin (RFC 6749 §6) and gets a live access token and a new refresh token, which
     * it then revokes at /oauth/revoke, also from the page's origin (RFC 7009 §2).
     */
    @Test
    void spaSdkWithRefreshTokensGetsANewAccessTokenAfterItExpiredAndRevokes() throws Exception {
        requirePeers();
        MovableClock clock = MovableClock.startingNow();
        try (SpaPage page = SpaPage.open(clock); TestServer server = TestServer.start(clock)) {
            // Auth0 §4.2: refresh tokens only where the API allows offline access.
            server.createApi("""
                    {"identifier":"%s","name":"SPA notes","allow_offline_access":true,"token_lifetime":%d}"""
                    .formatted(API, ACCESS_TOKEN_LIFETIME));
            JsonNode client = spaClient(server, page.origin());
            String clientId = client.path("client_id").asText();
            TestUsers.create(server, "spa-refresh@example.com");
            MachineClient api = MachineClient.register(server, "notes backend");

            JsonNode answer = page.run(server, client, "spa-refresh@example.com", Map.of("audience", API,
                    "useRefreshTokens", true, "clockPath", ClockControl.PATH,
                    "advanceSeconds", ACCESS_TOKEN_LIFETIME + 1), SCREENSHOTS.resolve("refresh-tokens"));

            assertThat(answer.path("user").path("email").asText()).isEqualTo("spa-refresh@example.com");
            String first = answer.path("first").path("access_token").asText();
            String second = answer.path("second").path("access_token").asText();
            assertThat(second).isNotEmpty().isNotEqualTo(first);
            assertThat(answer.path("second").path("scope").asText()).contains("offline_access");
            // RFC 7662 §2.2: on the server's clock the first token has expired.
            assertThat(api.introspect(first).path("active").asBoolean()).isFalse();
            // The refreshed one was live: the page used it at /userinfo before revoking.
            assertThat(answer.path("userinfoStatus").asInt()).isEqualTo(200);
            // Rotation: the SDK stored the successor in place of the token it exchanged.
            JsonNode refreshTokens = answer.path("refreshTokens");
            String rotated = refreshTokens.get(1).asText();
            assertThat(refreshTokens.get(0).asText()).isNotEmpty();
            assertThat(rotated).isNotEmpty().isNotEqualTo(refreshTokens.get(0).asText());
            // The SDK's revokeRefreshToken() revoked the successor (RFC 7009 §2.2): refused from then on
            // (RFC 6749 §5.2), and, beyond Auth0, the access tokens of its grant are inactive at once.
            HttpResponse<String> refused = server.postForm("oauth/token", "grant_type=refresh_token&client_id="
                    + clientId + "&refresh_token=" + ManagementCalls.encode(rotated));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(TestServer.json(refused).path("error").asText()).isEqualTo("invalid_grant");
            assertThat(api.introspect(second).path("active").asBoolean()).isFalse();
            // The exchange was a refresh-token grant: Auth0's log event for it (sertft).
            String query = "api/v2/logs?q=" + ManagementCalls.encode("type:sertft AND client_id:\"" + clientId + "\"");
            JsonNode logs = ManagementCalls.eventually(() -> TestServer.json(server.management("GET", query, null)),
                    l -> l.size() > 0);
            assertThat(logs).hasSize(1);
        }
    }

    private static void requirePeers() {
        NodePeers.require("@auth0/auth0-spa-js", "playwright-core");
        NodePeers.requireChromium();
    }

    /** A third-party SPA (so the consent page is part of the run) whose page's origin may call the server. */
    private static JsonNode spaClient(TestServer server, String pageOrigin) {
        return server.createClient("""
                {"name":"Acme Notes","app_type":"spa","is_first_party":false,"callbacks":["%s/"],
                 "web_origins":["%s"],"allowed_logout_urls":["%s/"]}""".formatted(pageOrigin, pageOrigin, pageOrigin));
    }

    /** The application's page (spa-page.html and the SDK) on its own origin, and, given a clock, its control. */
    private static final class SpaPage implements AutoCloseable {

        private final HttpServer http;
        private volatile byte[] html = new byte[0];

        private SpaPage(HttpServer http) {
            this.http = http;
        }

        static SpaPage open(MovableClock clock) throws IOException {
            SpaPage page = new SpaPage(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
            byte[] sdk = Files.readAllBytes(NodePeers.DIRECTORY.resolve(
                    "node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js"));
            page.http.createContext("/", exchange -> {
                boolean script = exchange.getRequestURI().getPath().equals("/auth0-spa-js.production.js");
                byte[] body = script ? sdk : page.html;
                exchange.getResponseHeaders().set("Content-Type", script ? "text/javascript" : "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                } catch (IOException e) {
                    // The browser went away.
                }
            });
            if (clock != null) {
                // On the page's own origin, so the page moves the server's clock without CORS.
                ClockControl.mount(page.http, clock);
            }
            page.http.start();
            return page;
        }

        String origin() {
            return "http://localhost:" + http.getAddress().getPort();
        }

        /** Serves the page for {@code client} (plus {@code extra} settings), logs in in Chromium, answers the page's JSON. */
        JsonNode run(TestServer server, JsonNode client, String email, Map<String, Object> extra, Path screenshots)
                throws IOException {
            Map<String, Object> config = new LinkedHashMap<>(Map.of(
                    "domain", server.issuer().substring(0, server.issuer().length() - 1),
                    "clientId", client.path("client_id").asText(),
                    "redirectUri", origin() + "/"));
            config.putAll(extra);
            html = Files.readString(NodePeers.DIRECTORY.resolve("spa-page.html"))
                    .replace("__CONFIG__", TestServer.JSON.writeValueAsString(config).replace("</", "<\\/"))
                    .getBytes(StandardCharsets.UTF_8);
            NodePeers.Result result = NodePeers.run("spa-browser.mjs", Map.of(
                    "PAGE_URL", origin() + "/",
                    "EMAIL", email,
                    "PASSWORD", TestUsers.PASSWORD,
                    "SCREENSHOTS", screenshots.toAbsolutePath().toString(),
                    "CHROMIUM", NodePeers.CHROMIUM.toString()), 180);
            assertThat(result.exitCode()).as(result.output()).isZero();
            String json = result.output().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(result.output()));
            return TestServer.JSON.readTree(json);
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
