package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's SPA SDK ({@code @auth0/auth0-spa-js} 2.27.0) in a real browser (Debian's Chromium driven by
 * playwright-core): loginWithRedirect through the login and consent pages (code + PKCE, RFC 7636),
 * the code exchanged at /oauth/token across origins (CORS), then getTokenSilently() both from the
 * SDK's cache and by a silent authorization in a hidden iframe (prompt=none, web_message) that rides
 * the SSO session. Screenshots of the pages are kept in target/screenshots.
 */
class Auth0SpaJsBrowserTest {

    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");

    @Test
    void spaSdkLogsInAndGetsTokensSilently() throws Exception {
        NodePeers.require("@auth0/auth0-spa-js", "playwright-core");
        NodePeers.requireChromium();
        HttpServer page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (TestServer server = TestServer.start()) {
            String pageOrigin = "http://localhost:" + page.getAddress().getPort();
            JsonNode client = server.createClient("""
                    {"name":"Acme Notes","app_type":"spa","is_first_party":false,"callbacks":["%s/"],
                     "web_origins":["%s"],"allowed_logout_urls":["%s/"]}""".formatted(pageOrigin, pageOrigin, pageOrigin));
            TestUsers.create(server, "spa-user@example.com");
            String config = TestServer.JSON.writeValueAsString(Map.of(
                    "domain", server.issuer().substring(0, server.issuer().length() - 1),
                    "clientId", client.path("client_id").asText(),
                    "redirectUri", pageOrigin + "/"));
            String html = Files.readString(NodePeers.DIRECTORY.resolve("spa-page.html"))
                    .replace("__CONFIG__", config.replace("</", "<\\/"));
            byte[] sdk = Files.readAllBytes(NodePeers.DIRECTORY.resolve(
                    "node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js"));
            page.createContext("/", exchange -> {
                boolean script = exchange.getRequestURI().getPath().equals("/auth0-spa-js.production.js");
                byte[] body = script ? sdk : html.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", script ? "text/javascript" : "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                } catch (IOException e) {
                    // The browser went away.
                }
            });
            page.start();

            NodePeers.Result result = NodePeers.run("spa-browser.mjs", Map.of(
                    "PAGE_URL", pageOrigin + "/",
                    "EMAIL", "spa-user@example.com",
                    "PASSWORD", TestUsers.PASSWORD,
                    "SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString(),
                    "CHROMIUM", NodePeers.CHROMIUM.toString()), 180);
            assertThat(result.exitCode()).as(result.output()).isZero();
            String json = result.output().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError(result.output()));
            JsonNode answer = TestServer.JSON.readTree(json);
            assertThat(answer.path("user").path("email").asText()).isEqualTo("spa-user@example.com");
            assertThat(answer.path("cached").asText()).isNotEmpty();
            assertThat(answer.path("silent").path("access_token").asText()).isNotEmpty()
                    .isNotEqualTo(answer.path("cached").asText());
            assertThat(answer.path("silent").path("id_token").asText()).isNotEmpty();
            assertThat(SCREENSHOTS.resolve("login.png")).exists();
            assertThat(SCREENSHOTS.resolve("consent.png")).exists();
        } finally {
            page.stop(0);
        }
    }
}
