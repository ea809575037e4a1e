package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import dev.latchkey.server.testing.UpstreamIdp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * node-oidc-provider (npm, 9.13.3) as a real upstream OpenID Provider behind an {@code oidc} connection: the
 * whole login through it with code + PKCE + state + nonce, the user Auth0 would make of it, the provider's
 * tokens in {@code identities[]} (Auth0 §6), and the ways such a login must fail: the provider's refusal, a
 * replayed or carried-off callback, unknown and disabled connections, an unverified email.
 */
class NodeOidcProviderUpstreamPeerTest {

    static final String CALLBACK = "https://app.example.com/callback";
    static final String CONNECTION = "upstream-oidc";
    /** Where the screenshots of the login page's buttons and the provider's page are kept. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    private static final Pattern ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern ABORT = Pattern.compile("href=\"([^\"]*/abort)\"");

    static TestServer server;
    static UpstreamIdp idp;
    static String clientId;
    static String clientSecret;
    static String otherClientId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        idp = UpstreamIdp.start(server.issuer() + "login/callback", Map.of());
        JsonNode client = server.createClient("""
                {"name":"Upstream app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        otherClientId = server.createClient("""
                {"name":"Other app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"%s","strategy":"oidc","display_name":"Upstream IdP","enabled_clients":["%s"],
                 "options":{"discovery_url":"%s","client_id":"%s","client_secret":"%s","scope":"openid profile email"}}"""
                .formatted(CONNECTION, clientId, idp.discoveryUrl(), UpstreamIdp.CLIENT_ID, UpstreamIdp.CLIENT_SECRET));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(UpstreamIdp.CLIENT_SECRET);
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
    void logsInThroughTheProviderAsAnAuth0ShapedUserWithItsTokensInIdentities() {
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        // Auth0: /authorize?connection= goes straight to the provider.
        HttpResponse<String> started = browser.authorize(params(pkce, Map.of("connection", CONNECTION)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        assertThat(started.headers().firstValue("Location").orElseThrow()).startsWith(idp.issuer() + "/auth?")
                .contains("code_challenge_method=S256").contains("nonce=").contains("state=")
                .contains("redirect_uri=" + ManagementCalls.encode(server.issuer() + "login/callback"));
        HttpResponse<String> atApp = throughProvider(browser, started, "alice");
        Map<String, String> answer = Browser.redirectParams(atApp);
        assertThat(answer).as(atApp.body()).containsKey("code").containsEntry("state", "app-state");

        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + answer.get("code") + "&redirect_uri="
                + CALLBACK + "&code_verifier=" + pkce.verifier()));
        // Auth0: an enterprise connection's user id is <strategy>|<connection>|<subject>.
        String userId = "oidc|" + CONNECTION + "|alice";
        assertThat(subject(tokens.path("id_token").asText())).isEqualTo(userId);

        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId),
                null));
        assertThat(user.path("email").asText()).isEqualTo("alice@upstream.example");
        assertThat(user.path("email_verified").asBoolean()).isTrue();
        assertThat(user.path("name").asText()).isEqualTo("Upstream alice");
        JsonNode identity = user.path("identities").path(0);
        assertThat(identity.path("provider").asText()).isEqualTo("oidc");
        assertThat(identity.path("connection").asText()).isEqualTo(CONNECTION);
        assertThat(identity.path("user_id").asText()).isEqualTo(CONNECTION + "|alice");
        assertThat(identity.path("isSocial").asBoolean(true)).isFalse();
        // Auth0 §6: the provider's tokens, to a caller holding read:user_idp_tokens.
        assertThat(identity.path("access_token").asText()).isNotEmpty();
        assertThat(identity.path("refresh_token").asText()).isNotEmpty();
        assertThat(identity.path("expires_in").asLong()).isPositive();

        // Auth0 §6: without read:user_idp_tokens, no tokens.
        String readUsersOnly = ManagementCalls.tokenWithScopes(server, "read:users");
        JsonNode plain = TestServer.json(ManagementCalls.call(server, readUsersOnly, "GET",
                "api/v2/users/" + ManagementCalls.encode(userId), null));
        assertThat(plain.path("identities").path(0).path("connection").asText()).isEqualTo(CONNECTION);
        assertThat(plain.path("identities").path(0).has("access_token")).isFalse();
        assertThat(plain.path("identities").path(0).has("refresh_token")).isFalse();

        // A second login updates the same user rather than making another.
        Browser again = new Browser(server);
        HttpResponse<String> second = throughProvider(again,
                again.authorize(params(Pkce.create(), Map.of("connection", CONNECTION))), "alice");
        assertThat(Browser.redirectParams(second)).containsKey("code");
        JsonNode after = TestServer.json(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId),
                null));
        assertThat(after.path("logins_count").asInt()).isEqualTo(2);
        // Auth0 log events: s, with the connection and its strategy.
        JsonNode logs = ManagementCalls.eventually(() -> TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode(userId) + "/logs", null)),
                found -> found.findValuesAsText("type").stream().filter("s"::equals).count() >= 2);
        JsonNode login = null;
        for (JsonNode entry : logs) {
            if (entry.path("type").asText().equals("s")) {
                login = entry;
            }
        }
        assertThat(login.path("type").asText()).isEqualTo("s");
        assertThat(login.path("connection").asText()).isEqualTo(CONNECTION);
        assertThat(login.path("details").path("strategy").asText()).isEqualTo("oidc");
    }

    @Test
    void theLoginPageShowsOneButtonPerConnectionEnabledForTheClient() {
        Browser browser = new Browser(server);
        browser.authorize(params(Pkce.create(), Map.of()));
        HttpResponse<String> page = browser.follow();
        assertThat(page.body()).contains("Continue with Upstream IdP");
        Matcher button = Pattern.compile("href=\"(login/upstream\\?[^\"]+)\"").matcher(page.body());
        assertThat(button.find()).isTrue();
        HttpResponse<String> toProvider = browser.get("u/" + button.group(1).replace("&amp;", "&"));
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        assertThat(Browser.redirectParams(throughProvider(browser, toProvider, "bob"))).containsKey("code");

        // The other client has no upstream connection enabled: no button.
        Browser other = new Browser(server);
        other.authorize(Browser.authorizeParams("code", otherClientId, CALLBACK, "openid", "s"));
        assertThat(other.follow().body()).doesNotContain("Continue with");
    }

    @Test
    void anEmailOfTheConnectionsDomainGoesToTheProvider() {
        String id = TestServer.json(server.management("GET", "api/v2/connections?name=" + CONNECTION, null)).get(0)
                .path("id").asText();
        // Auth0 home realm discovery: options.domain_aliases. PATCH replaces options; the secret is kept.
        HttpResponse<String> patched = server.management("PATCH", "api/v2/connections/" + id, """
                {"options":{"discovery_url":"%s","client_id":"%s","scope":"openid profile email",
                 "domain_aliases":["corp.example"]}}""".formatted(idp.discoveryUrl(), UpstreamIdp.CLIENT_ID));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        Browser browser = new Browser(server);
        browser.authorize(params(Pkce.create(), Map.of()));
        browser.follow();
        HttpResponse<String> toProvider = browser.submit("u/login", Map.of("email", "frank@Corp.example",
                "password", "not looked at"));
        assertThat(toProvider.statusCode()).as(toProvider.body()).isEqualTo(302);
        assertThat(toProvider.headers().firstValue("Location").orElseThrow()).startsWith(idp.issuer() + "/auth?");
        assertThat(Browser.redirectParams(throughProvider(browser, toProvider, "frank"))).containsKey("code");
        // Another domain stays on the password form.
        Browser other = new Browser(server);
        other.authorize(params(Pkce.create(), Map.of()));
        other.follow();
        assertThat(other.submit("u/login", Map.of("email", "grace@elsewhere.example", "password", "wrong"))
                .statusCode()).isEqualTo(401);
    }

    @Test
    void theProvidersRefusalEndsTheLoginWithAccessDenied() {
        Browser browser = new Browser(server);
        HttpResponse<String> page = followAway(browser,
                browser.authorize(params(Pkce.create(), Map.of("connection", CONNECTION))));
        Matcher abort = ABORT.matcher(page.body());
        assertThat(abort.find()).as(page.body()).isTrue();
        HttpResponse<String> atApp = followAway(browser, browser.get(page.uri().resolve(abort.group(1)).toString()));
        // RFC 6749 §4.1.2.1: the provider's access_denied reaches the client as access_denied.
        assertThat(Browser.redirectParams(atApp)).containsEntry("error", "access_denied")
                .containsEntry("state", "app-state");
    }

    @Test
    void aCallbackCountsOnceAndOnlyInTheBrowserThatStartedTheLogin() {
        Browser browser = new Browser(server);
        HttpResponse<String> atCallback = untilCallback(browser,
                browser.authorize(params(Pkce.create(), Map.of("connection", CONNECTION))), "carol");
        String callback = atCallback.headers().firstValue("Location").orElseThrow();

        // RFC 6749 §10.12: a state carried to another browser does not log that browser in.
        Browser elsewhere = new Browser(server);
        HttpResponse<String> stolen = elsewhere.get(callback);
        assertThat(stolen.statusCode()).isEqualTo(403);
        assertThat(elsewhere.cookie("latchkey_session")).isNull();
        // The refused attempt spent nothing: the browser that started the login still finishes it, once.
        assertThat(browser.get(callback).statusCode()).isEqualTo(302);
        assertThat(browser.cookie("latchkey_session")).isNotNull();
        // RFC 9700 §4.7: the same callback again (a replayed state, code and nonce) is refused.
        assertThat(browser.get(callback).statusCode()).isEqualTo(400);
    }

    @Test
    void anUnknownOrDisabledConnectionIsInvalidRequest() {
        Browser browser = new Browser(server);
        HttpResponse<String> unknown = browser.authorize(params(Pkce.create(), Map.of("connection", "no-such")));
        assertThat(Browser.redirectParams(unknown)).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "the connection was not found");
        Map<String, String> other = Browser.authorizeParams("code", otherClientId, CALLBACK, "openid", "s");
        other.put("connection", CONNECTION);
        HttpResponse<String> disabled = browser.authorize(other);
        assertThat(Browser.redirectParams(disabled)).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "the connection is not enabled for this client");
    }

    @Test
    void anUnverifiedEmailNeverJoinsTheAccountThatHasIt() {
        String existing = TestUsers.create(server, "unverified-dave@upstream.example").userId();
        Browser browser = new Browser(server);
        HttpResponse<String> atApp = throughProvider(browser,
                browser.authorize(params(Pkce.create(), Map.of("connection", CONNECTION))), "unverified-dave");
        assertThat(Browser.redirectParams(atApp)).containsKey("code");
        JsonNode upstream = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode("oidc|" + CONNECTION + "|unverified-dave"), null));
        assertThat(upstream.path("email_verified").asBoolean(true)).isFalse();
        JsonNode database = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode(existing), null));
        assertThat(database.path("identities")).hasSize(1);
        assertThat(database.path("identities").path(0).path("provider").asText()).isEqualTo("auth0");
        assertThat(database.path("logins_count").asInt()).isZero();
    }

    /**
     * Auth0 account linking: once the provider's identity is linked into a database user, logging in through the
     * provider logs that user in (the identity is found before the user id it would make); unlinked, it is a
     * user of its own again.
     */
    @Test
    void anIdentityLinkedIntoAnotherUserLogsThatUserInUntilUnlinked() {
        String primaryId = TestUsers.create(server, "henry-primary@example.com").userId();
        String upstreamId = "oidc|" + CONNECTION + "|henry";
        Browser first = new Browser(server);
        assertThat(Browser.redirectParams(throughProvider(first,
                first.authorize(params(Pkce.create(), Map.of("connection", CONNECTION))), "henry"))).containsKey("code");
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode(upstreamId), null).statusCode())
                .isEqualTo(200);

        HttpResponse<String> linked = server.management("POST", "api/v2/users/" + ManagementCalls.encode(primaryId)
                + "/identities", "{\"provider\":\"oidc\",\"user_id\":\"" + CONNECTION + "|henry\"}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        assertThat(TestServer.json(linked).get(1).path("user_id").asText()).isEqualTo(CONNECTION + "|henry");

        assertThat(loginSubject("henry")).isEqualTo(primaryId);
        JsonNode primary = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode(primaryId), null));
        // The primary's profile stays its own; the provider's claims and tokens go to the linked identity.
        assertThat(primary.path("email").asText()).isEqualTo("henry-primary@example.com");
        assertThat(primary.path("logins_count").asInt()).isEqualTo(1);
        assertThat(primary.path("identities").get(1).path("profileData").path("email").asText())
                .isEqualTo("henry@upstream.example");
        assertThat(primary.path("identities").get(1).path("access_token").asText()).isNotEmpty();
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode(upstreamId), null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> unlinked = server.management("DELETE", "api/v2/users/" + ManagementCalls.encode(primaryId)
                + "/identities/oidc/" + ManagementCalls.encode(CONNECTION + "|henry"), null);
        assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
        assertThat(loginSubject("henry")).isEqualTo(upstreamId);
    }

    /** Logs in through the provider as {@code login} and answers the subject of the ID token the app gets. */
    private static String loginSubject(String login) {
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        Map<String, String> answer = Browser.redirectParams(throughProvider(browser,
                browser.authorize(params(pkce, Map.of("connection", CONNECTION))), login));
        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + answer.get("code") + "&redirect_uri="
                + CALLBACK + "&code_verifier=" + pkce.verifier()));
        return subject(tokens.path("id_token").asText());
    }

    @Test
    void theWholeUpstreamLoginRunsInChromiumFromTheLoginPagesButton() {
        NodePeers.require("playwright-core");
        NodePeers.requireChromium();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AUTHORIZE_URL", server.issuer() + "authorize?" + Browser.form(params(Pkce.create(),
                Map.of())));
        environment.put("APP_CALLBACK", CALLBACK);
        environment.put("BUTTON", "Upstream IdP");
        environment.put("LOGIN", "erin");
        environment.put("SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString());
        NodePeers.Result result = NodePeers.run("upstream-browser.mjs", environment, 120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"callback\":\"" + CALLBACK + "?code=");
        assertThat(SCREENSHOTS.resolve("upstream-login-buttons.png")).exists();
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode("oidc|" + CONNECTION + "|erin"),
                null).statusCode()).isEqualTo(200);
    }

    static Map<String, String> params(Pkce pkce, Map<String, String> extra) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid profile email",
                "app-state");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        return params;
    }

    /** From Latchkey's redirect to the provider, logs in there as {@code login} and follows back to the app. */
    static HttpResponse<String> throughProvider(Browser browser, HttpResponse<String> toProvider, String login) {
        HttpResponse<String> callback = untilCallback(browser, toProvider, login);
        return followAway(browser, browser.get(callback.headers().firstValue("Location").orElseThrow()));
    }

    /** Logs in at the provider and stops at its redirect to Latchkey's /login/callback. */
    static HttpResponse<String> untilCallback(Browser browser, HttpResponse<String> toProvider, String login) {
        HttpResponse<String> page = followAway(browser, toProvider);
        HttpResponse<String> next = browser.post(action(page), Map.of("prompt", "login", "login", login,
                "password", "anything"));
        for (int i = 0; i < 10; i++) {
            while (next.statusCode() / 100 == 3) {
                String location = next.uri().resolve(next.headers().firstValue("Location").orElseThrow()).toString();
                if (URI.create(location).getPath().equals("/login/callback")) {
                    return next;
                }
                next = browser.get(location);
            }
            // The provider's consent page.
            next = browser.post(action(next), Map.of("prompt", "consent"));
        }
        throw new AssertionError("Never came back to the callback: " + next.statusCode() + " " + next.body());
    }

    /** Follows redirects on any host until a page, or a redirect to the app's callback. */
    static HttpResponse<String> followAway(Browser browser, HttpResponse<String> response) {
        while (response.statusCode() / 100 == 3) {
            String location = response.uri().resolve(response.headers().firstValue("Location").orElseThrow())
                    .toString();
            if (location.startsWith(CALLBACK)) {
                return response;
            }
            response = browser.get(location);
        }
        return response;
    }

    private static String action(HttpResponse<String> page) {
        Matcher matcher = ACTION.matcher(page.body());
        assertThat(matcher.find()).as(page.statusCode() + " " + page.body()).isTrue();
        return page.uri().resolve(matcher.group(1).replace("&amp;", "&")).toString();
    }

    private static String subject(String idToken) {
        try {
            return SignedJWT.parse(idToken).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> copy(Map<String, String> map) {
        return new LinkedHashMap<>(map);
    }
}
