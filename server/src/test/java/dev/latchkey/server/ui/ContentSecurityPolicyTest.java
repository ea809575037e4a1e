package dev.latchkey.server.ui;

import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every HTML page carries a full Content-Security-Policy (CSP Level 3; OWASP ASVS 14.4.3): nothing by
 * default, its own inline style or script by hash only, no {@code <base>}, never framed (but web_message,
 * by the client), and forms only where the page's own form and the redirects after it go.
 */
class ContentSecurityPolicyTest {

    private static final String CALLBACK = "https://app.example.com:8443/callback";

    @AutoClose
    private static final TestServer server = TestServer.start();
    private static String webClient;
    private static String spaClient;

    @BeforeAll
    static void clients() {
        webClient = server.createClient("""
                {"name":"Web","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        spaClient = server.createClient("""
                {"name":"Spa","app_type":"spa","callbacks":["%s"],"web_origins":["https://app.example.com:8443"]}"""
                .formatted(CALLBACK)).path("client_id").asText();
    }

    @Test
    void theLoginPageAllowsItsStyleAndFormsToItselfAndTheClient() {
        Browser browser = new Browser(server);
        browser.authorize(Browser.authorizeParams("code", webClient, CALLBACK, "openid", "s"));
        HttpResponse<String> page = browser.follow();

        Map<String, String> policy = directives(page);
        assertThat(policy).containsEntry("default-src", "'none'").containsEntry("base-uri", "'none'")
                .containsEntry("frame-ancestors", "'none'")
                // The login post is answered with a redirect to the client, which browsers hold to form-action.
                .containsEntry("form-action", "'self' https://app.example.com:8443")
                .containsEntry("style-src", hashOf(page.body(), "style"))
                .doesNotContainKey("script-src");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void errorPagesAllowNothingButTheirStyle() {
        HttpResponse<String> page = server.get("u/login?state=nothing-here");
        assertThat(directives(page)).containsEntry("default-src", "'none'")
                .containsEntry("style-src", hashOf(page.body(), "style")).containsEntry("base-uri", "'none'")
                .containsEntry("frame-ancestors", "'none'");
    }

    @Test
    void theFormPostPageRunsOnlyItsSubmitScriptAndPostsOnlyToTheClient() {
        HttpResponse<String> page = silentResponse(webClient, "form_post");

        assertThat(directives(page)).containsEntry("default-src", "'none'")
                .containsEntry("script-src", hashOf(page.body(), "script"))
                .containsEntry("form-action", "https://app.example.com:8443")
                .containsEntry("base-uri", "'none'").containsEntry("frame-ancestors", "'none'");
    }

    @Test
    void theWebMessagePageIsFramedOnlyByTheClient() {
        HttpResponse<String> page = silentResponse(spaClient, "web_message");

        assertThat(directives(page)).containsEntry("default-src", "'none'")
                .containsEntry("script-src", hashOf(page.body(), "script"))
                .containsEntry("frame-ancestors", "https://app.example.com:8443")
                .containsEntry("form-action", "'none'").containsEntry("base-uri", "'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
    }

    @Test
    void sourcesNameTheOriginOrTheAppScheme() {
        assertThat(ContentSecurityPolicy.source("https://App.example.com/cb?x=1")).isEqualTo("https://app.example.com");
        assertThat(ContentSecurityPolicy.source("http://localhost:3000/cb")).isEqualTo("http://localhost:3000");
        // RFC 8252 §7.1: a native app's own scheme.
        assertThat(ContentSecurityPolicy.source("com.example.app:/callback")).isEqualTo("com.example.app:");
        assertThat(ContentSecurityPolicy.source("not a uri")).isEqualTo("'none'");
        assertThat(ContentSecurityPolicy.source("/relative")).isEqualTo("'none'");
    }

    /** The page answering a prompt=none request without a session (login_required) in {@code mode}. */
    private static HttpResponse<String> silentResponse(String clientId, String mode) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "s");
        params.put("prompt", "none");
        params.put("response_mode", mode);
        HttpResponse<String> page = new Browser(server).authorize(params);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return page;
    }

    private static Map<String, String> directives(HttpResponse<String> response) {
        String header = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        Map<String, String> directives = new java.util.LinkedHashMap<>();
        for (String directive : header.split(";")) {
            String trimmed = directive.trim();
            int space = trimmed.indexOf(' ');
            directives.put(trimmed.substring(0, space), trimmed.substring(space + 1));
        }
        return directives;
    }

    /** The CSP hash-source of the page's one inline {@code <tag>} element, as a browser computes it. */
    private static String hashOf(String page, String tag) {
        Matcher matcher = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page);
        assertThat(matcher.find()).as("an inline " + tag).isTrue();
        String content = matcher.group(1);
        assertThat(matcher.find()).as("only one inline " + tag).isFalse();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
