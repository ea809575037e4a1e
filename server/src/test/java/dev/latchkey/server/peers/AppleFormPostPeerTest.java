package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.UpstreamIdp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code apple} preset against node-oidc-provider standing in for Sign in with Apple (its {@code issuer}
 * pointed there): Apple answers a request for name or email only with {@code response_mode=form_post}, a
 * cross-site POST to {@code /login/callback} that carries none of Latchkey's {@code SameSite=Lax} cookies. The
 * provider runs on 127.0.0.1 and Latchkey on localhost, two sites, so Chromium shows what a browser sends.
 */
class AppleFormPostPeerTest {

    static final String CALLBACK = "https://app.example.com/callback";
    static final String CONNECTION = "apple";
    private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    /** node-oidc-provider writes its hidden inputs as XHTML ({@code />}) and escapes their values. */
    private static final Pattern PROVIDER_FIELD = Pattern.compile(
            "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"/>");

    static TestServer server;
    static UpstreamIdp idp;
    static String clientId;
    static String clientSecret;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        idp = UpstreamIdp.start(server.issuer() + "login/callback", Map.of());
        JsonNode client = server.createClient("""
                {"name":"Apple app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"%s","strategy":"apple","enabled_clients":["%s"],
                 "options":{"issuer":"%s","client_id":"%s","client_secret":"%s"}}"""
                .formatted(CONNECTION, clientId, idp.issuer(), UpstreamIdp.CLIENT_ID, UpstreamIdp.CLIENT_SECRET));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (idp != null) {
            idp.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCrossSitePostWithoutCookiesIsPostedAgainFromLatchkeysOwnPageAndThenLogsIn() {
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        HttpResponse<String> toApple = browser.authorize(params(pkce));
        String location = toApple.headers().firstValue("Location").orElseThrow();
        // Apple: name and email are asked for, so the answer must come as a form post.
        assertThat(location).startsWith(idp.issuer()).contains("response_mode=form_post")
                .contains("scope=openid+name+email");

        Map<String, String> fields = new LinkedHashMap<>();
        String action = providerFormPost(browser, browser.get(location), "fiona", fields);
        assertThat(URI.create(action).getPath()).isEqualTo("/login/callback");
        assertThat(fields).containsKeys("code", "state");

        // The provider's page posts from another site: the browser sends no Latchkey cookie.
        Browser crossSite = new Browser(server);
        HttpResponse<String> again = crossSite.post(action, fields);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'sha256-").contains("frame-ancestors 'none'");
        assertThat(again.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        Map<String, String> reposted = Browser.hiddenFields(again.body());
        assertThat(reposted).containsAllEntriesOf(fields).containsKey("latchkey_posted_again");

        // Latchkey's own page posts them again, same-site: the cookies come along, and the login finishes.
        HttpResponse<String> back = browser.post(action, reposted);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
        Map<String, String> answer = Browser.redirectParams(back);
        assertThat(answer).containsKey("code").containsEntry("state", "app-state");
        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + answer.get("code") + "&redirect_uri="
                + CALLBACK + "&code_verifier=" + pkce.verifier()));
        assertThat(tokens.path("id_token").asText()).isNotEmpty();
        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode("apple|fiona"), null));
        assertThat(user.path("email").asText()).isEqualTo("fiona@upstream.example");
        assertThat(user.path("identities").get(0).path("provider").asText()).isEqualTo("apple");

        // RFC 6749 §10.12: the same answer posted again, or posted again by a browser that never had the login's
        // cookie, logs nobody in.
        HttpResponse<String> replay = browser.post(action, reposted);
        assertThat(replay.statusCode()).isEqualTo(400);
    }

    @Test
    void aSecondPostStillWithoutTheLoginsCookieIsRefused() {
        Browser browser = new Browser(server);
        HttpResponse<String> toApple = browser.authorize(params(Pkce.create()));
        Map<String, String> fields = new LinkedHashMap<>();
        String action = providerFormPost(browser, browser.get(toApple.headers().firstValue("Location").orElseThrow()),
                "hana", fields);
        Browser elsewhere = new Browser(server);
        Map<String, String> reposted = Browser.hiddenFields(elsewhere.post(action, fields).body());

        HttpResponse<String> refused = elsewhere.post(action, reposted);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).doesNotContain(fields.get("code"));
    }

    @Test
    void theWholeAppleLoginRunsInChromiumAcrossTwoSites() {
        NodePeers.require("playwright-core");
        NodePeers.requireChromium();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, String> fromLoginPage = params(Pkce.create());
        fromLoginPage.remove("connection");
        environment.put("AUTHORIZE_URL", server.issuer() + "authorize?" + Browser.form(fromLoginPage));
        environment.put("APP_CALLBACK", CALLBACK);
        environment.put("BUTTON", "Apple");
        environment.put("LOGIN", "gwen");
        environment.put("SCREENSHOTS", NodeOidcProviderUpstreamPeerTest.SCREENSHOTS.toAbsolutePath().toString());
        environment.put("BUTTONS_SCREENSHOT", "apple-login-buttons.png");
        NodePeers.Result result = NodePeers.run("upstream-browser.mjs", environment, 120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"callback\":\"" + CALLBACK + "?code=");
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode("apple|gwen"), null)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void appleKeyAsAuth0TakesItIsSealedNeverShownAndNeedsItsTeamAndKeyIds() throws Exception {
        String id = TestServer.json(server.management("GET", "api/v2/connections?name=" + CONNECTION, null))
                .get(0).path("id").asText();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String key = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\\n-----END PRIVATE KEY-----";
        String base = "\"issuer\":\"%s\",\"client_id\":\"%s\"".formatted(idp.issuer(), UpstreamIdp.CLIENT_ID);
        try {
            Map<String, String> refused = Map.of(
                    "{" + base + ",\"app_secret\":\"" + key + "\",\"team_id\":\"TEAM456\"}", "Missing required property: kid",
                    "{" + base + ",\"app_secret\":\"" + key + "\",\"kid\":\"K\",\"team_id\":\"T\",\"client_secret\":\"s\"}",
                    "not both",
                    "{" + base + ",\"app_secret\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\","
                            + "\"kid\":\"K\",\"team_id\":\"T\"}", "not an EC P-256 private key",
                    "{" + base + ",\"app_secret\":\"" + key + "\",\"kid\":\"K\",\"team_id\":\"T\",\"name\":\"yes\"}",
                    "name must be a boolean");
            refused.forEach((options, message) -> {
                HttpResponse<String> answer = server.management("PATCH", "api/v2/connections/" + id,
                        "{\"options\":" + options + "}");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                assertThat(answer.body()).contains(message);
            });

            HttpResponse<String> withKey = server.management("PATCH", "api/v2/connections/" + id, "{\"options\":{"
                    + base + ",\"app_secret\":\"" + key + "\",\"kid\":\"KEY123\",\"team_id\":\"TEAM456\"}}");
            assertThat(withKey.statusCode()).as(withKey.body()).isEqualTo(200);
            String read = server.management("GET", "api/v2/connections/" + id, null).body();
            assertThat(withKey.body() + read).doesNotContain("PRIVATE KEY").doesNotContain(key.substring(40, 60));
            assertThat(TestServer.json(server.management("GET", "api/v2/connections/" + id, null)).path("options").path("kid").asText()).isEqualTo("KEY123");

            // The key is kept from before, but signs Apple's client secret only with the team and key ids.
            HttpResponse<String> withoutIds = server.management("PATCH", "api/v2/connections/" + id,
                    "{\"options\":{" + base + "}}");
            assertThat(withoutIds.statusCode()).as(withoutIds.body()).isEqualTo(400);
            assertThat(withoutIds.body()).contains("team_id and kid");
        } finally {
            HttpResponse<String> restored = server.management("PATCH", "api/v2/connections/" + id, "{\"options\":{"
                    + base + ",\"client_secret\":\"" + UpstreamIdp.CLIENT_SECRET + "\"}}");
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
        }
    }

    private static Map<String, String> params(Pkce pkce) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid profile email",
                "app-state");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.put("connection", CONNECTION);
        return params;
    }

    /** Logs in at the provider as {@code login}; answers where its form-post page posts, its fields in {@code fields}. */
    private static String providerFormPost(Browser browser, HttpResponse<String> page, String login,
                                           Map<String, String> fields) {
        HttpResponse<String> first = page;
        while (first.statusCode() / 100 == 3) {
            first = browser.get(first.uri().resolve(first.headers().firstValue("Location").orElseThrow()).toString());
        }
        HttpResponse<String> next = browser.post(action(first), Map.of("prompt", "login", "login", login,
                "password", "anything"));
        for (int i = 0; i < 10; i++) {
            while (next.statusCode() / 100 == 3) {
                next = browser.get(next.uri().resolve(next.headers().firstValue("Location").orElseThrow()).toString());
            }
            String action = action(next);
            if (URI.create(action).getPath().equals("/login/callback")) {
                Matcher field = PROVIDER_FIELD.matcher(next.body());
                while (field.find()) {
                    fields.put(field.group(1), field.group(2).replace("&#x2F;", "/").replace("&#x3A;", ":")
                            .replace("&amp;", "&"));
                }
                return action;
            }
            // The provider's consent page.
            next = browser.post(action, Map.of("prompt", "consent"));
        }
        throw new AssertionError("No form post came: " + next.statusCode() + " " + next.body());
    }

    private static String action(HttpResponse<String> page) {
        Matcher matcher = FORM.matcher(page.body());
        assertThat(matcher.find()).as(page.statusCode() + " " + page.body()).isTrue();
        return page.uri().resolve(matcher.group(1).replace("&amp;", "&")).toString();
    }
}
