package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.oauth.grant.FederatedConnectionTokenGrant;
import dev.latchkey.server.testing.FakeGitHub;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GitHub-shaped OAuth 2.0 provider ({@link FakeGitHub}: GitHub's paths, its form-encoded token answers, its
 * numeric ids, its private emails behind {@code /user/emails}) behind a {@code github} connection and behind a
 * custom {@code oauth2} connection: the whole login through {@code /authorize?connection=} with a browser that
 * keeps cookies and follows the redirects, the user Auth0 would make of it, and the provider's token read back
 * through the Management API with {@code read:users read:user_idp_tokens} (Auth0 §6); once in Chromium from the
 * login page's "Continue with GitHub" button.
 */
class GitHubUpstreamPeerTest {

    static final String CALLBACK = "https://app.example.com/callback";
    static final String CUSTOM = "my-github";

    static TestServer server;
    static FakeGitHub github;
    static String clientId;
    static String clientSecret;
    static MovableClock clock;

    @BeforeAll
    static void start() {
        github = FakeGitHub.start();
        clock = MovableClock.startingNow();
        server = TestServer.start(clock);
        JsonNode client = server.createClient("""
                {"name":"GitHub app","app_type":"regular_web","callbacks":["%s"],
                 "grant_types":["authorization_code","refresh_token","%s"]}"""
                .formatted(CALLBACK, FederatedConnectionTokenGrant.TYPE));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        HttpResponse<String> preset = server.management("POST", "api/v2/connections", """
                {"name":"github","strategy":"github","enabled_clients":["%s"],
                 "options":{"client_id":"%s","client_secret":"%s",%s}}"""
                .formatted(clientId, FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.endpointOptions()));
        assertThat(preset.statusCode()).as(preset.body()).isEqualTo(201);
        assertThat(preset.body()).doesNotContain(FakeGitHub.CLIENT_SECRET);
        HttpResponse<String> custom = server.management("POST", "api/v2/connections", """
                {"name":"%s","strategy":"oauth2","display_name":"Octo","enabled_clients":["%s"],
                 "options":{"client_id":"%s","client_secret":"%s","scope":["read:user"],"pkce_enabled":false,
                  "authorizationURL":"%5$s/login/oauth/authorize","tokenURL":"%5$s/login/oauth/access_token",
                  "userInfoURL":"%5$s/user",
                  "fieldsMap":{"user_id":"id","nickname":"login","picture":"avatar_url","given_name":"plan.name"}}}"""
                .formatted(CUSTOM, clientId, FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.base()));
        assertThat(custom.statusCode()).as(custom.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (github != null) {
            github.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void honest() {
        github.misbehave(FakeGitHub.Misbehaviour.NONE);
    }

    @Test
    void logsInThroughTheGithubPresetAsGithubPipeIdWithTheTokenReadBack() {
        // GitHub: a private email (null on /user), the primary verified one in /user/emails.
        github.nextUser(new FakeGitHub.User("octocat", 583231, "The Octocat", null, List.of(
                new FakeGitHub.Email("octo@old.example", false, false),
                new FakeGitHub.Email("octocat@github.example", true, true))));
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        HttpResponse<String> toGitHub = browser.authorize(params(pkce, "github"));
        assertThat(toGitHub.statusCode()).as(toGitHub.body()).isEqualTo(302);
        assertThat(FakeGitHub.location(toGitHub).toString()).startsWith(github.base() + "/login/oauth/authorize?")
                .contains("code_challenge_method=S256").contains("state=")
                .contains("scope=read%3Auser+user%3Aemail")
                .contains("redirect_uri=" + ManagementCalls.encode(server.issuer() + "login/callback"));
        HttpResponse<String> atApp = throughGitHub(browser, toGitHub);
        Map<String, String> answer = Browser.redirectParams(atApp);
        assertThat(answer).as(atApp.body()).containsKey("code").containsEntry("state", "app-state");
        // The token call asked for JSON and sent the PKCE verifier (the fake checks it).
        assertThat(github.tokenAccepts()).last().asString().contains("application/json");
        assertThat(github.lastTokenCallHadVerifier()).isTrue();
        String githubToken = github.lastAccessToken();

        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + answer.get("code") + "&redirect_uri="
                + CALLBACK + "&code_verifier=" + pkce.verifier()));
        // Auth0: a social user's id is <strategy>|<id at the provider>; GitHub's numeric id as a string.
        String userId = "github|583231";
        assertThat(subject(tokens.path("id_token").asText())).isEqualTo(userId);

        String reader = ManagementCalls.tokenWithScopes(server, "read:users", "read:user_idp_tokens");
        JsonNode user = TestServer.json(ManagementCalls.call(server, reader, "GET",
                "api/v2/users/" + ManagementCalls.encode(userId), null));
        assertThat(user.path("email").asText()).isEqualTo("octocat@github.example");
        assertThat(user.path("email_verified").asBoolean()).isTrue();
        assertThat(user.path("name").asText()).isEqualTo("The Octocat");
        assertThat(user.path("nickname").asText()).isEqualTo("octocat");
        assertThat(user.path("picture").asText()).isEqualTo("https://avatars.example/u/583231");
        JsonNode identity = user.path("identities").path(0);
        assertThat(identity.path("provider").asText()).isEqualTo("github");
        assertThat(identity.path("connection").asText()).isEqualTo("github");
        assertThat(identity.path("user_id").asText()).isEqualTo("583231");
        assertThat(identity.path("isSocial").asBoolean()).isTrue();
        // Auth0 §6: GitHub's own token, to a caller holding read:user_idp_tokens.
        assertThat(identity.path("access_token").asText()).isEqualTo(githubToken);
        assertThat(identity.path("refresh_token").asText()).startsWith("ghr_");
        assertThat(identity.path("expires_in").asLong()).isEqualTo(28800);
        assertThat(identity.path("profileData").path("login").asText()).isEqualTo("octocat");

        String withoutTokens = ManagementCalls.tokenWithScopes(server, "read:users");
        JsonNode plain = TestServer.json(ManagementCalls.call(server, withoutTokens, "GET",
                "api/v2/users/" + ManagementCalls.encode(userId), null));
        assertThat(plain.path("identities").path(0).has("access_token")).isFalse();
    }

    @Test
    void logsInThroughACustomOauth2ConnectionWithItsFieldsMap() {
        github.nextUser(new FakeGitHub.User("hubot", 7001, "Hubot", "hubot@public.example", List.of()));
        Browser browser = new Browser(server);
        HttpResponse<String> toGitHub = browser.authorize(params(Pkce.create(), CUSTOM));
        assertThat(FakeGitHub.location(toGitHub).toString()).startsWith(github.base() + "/login/oauth/authorize?")
                .contains("scope=read%3Auser").doesNotContain("user%3Aemail").doesNotContain("code_challenge");
        assertThat(Browser.redirectParams(throughGitHub(browser, toGitHub))).containsKey("code");
        // pkce_enabled false: no challenge sent, no verifier at the token call.
        assertThat(github.lastTokenCallHadVerifier()).isFalse();

        // Auth0: a custom social connection's user is oauth2|<connection>|<id>.
        String userId = "oauth2|" + CUSTOM + "|7001";
        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId),
                null));
        assertThat(user.path("email").asText()).isEqualTo("hubot@public.example");
        // No userEmailsURL and no email_verified from the provider: not verified.
        assertThat(user.path("email_verified").asBoolean(true)).isFalse();
        assertThat(user.path("nickname").asText()).isEqualTo("hubot");
        // A dotted path into the profile.
        assertThat(user.path("given_name").asText()).isEqualTo("free");
        JsonNode identity = user.path("identities").path(0);
        assertThat(identity.path("provider").asText()).isEqualTo("oauth2");
        assertThat(identity.path("user_id").asText()).isEqualTo(CUSTOM + "|7001");
        assertThat(identity.path("isSocial").asBoolean()).isTrue();
    }

    @Test
    void anIdentityWhoseIdHoldsASlashIsReadLinkedAndUnlinkedThroughEncodedPaths() {
        // A provider's id may hold "/": RFC 3986 §2.2 keeps %2F inside its path segment.
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"slashy","strategy":"oauth2","enabled_clients":["%s"],
                 "options":{"client_id":"%s","client_secret":"%s","scope":["read:user"],
                  "authorizationURL":"%4$s/login/oauth/authorize","tokenURL":"%4$s/login/oauth/access_token",
                  "userInfoURL":"%4$s/user","fieldsMap":{"user_id":"login"}}}"""
                .formatted(clientId, FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.base()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        github.nextUser(new FakeGitHub.User("team/one", 7301, "Team One", null, List.of()));
        Browser browser = new Browser(server);
        assertThat(Browser.redirectParams(throughGitHub(browser, browser.authorize(params(Pkce.create(), "slashy")))))
                .containsKey("code");
        String userId = "oauth2|slashy|team/one";
        HttpResponse<String> read = server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId), null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);

        String primary = TestUsers.create(server, "slash-primary@example.com").userId();
        HttpResponse<String> linked = server.management("POST", "api/v2/users/" + ManagementCalls.encode(primary)
                + "/identities", "{\"provider\":\"oauth2\",\"user_id\":\"slashy|team/one\"}");
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        HttpResponse<String> unlinked = server.management("DELETE", "api/v2/users/" + ManagementCalls.encode(primary)
                + "/identities/oauth2/" + ManagementCalls.encode("slashy|team/one"), null);
        assertThat(unlinked.statusCode()).as(unlinked.body()).isEqualTo(200);
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode(userId), null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aFormEncodedTokenAnswerIsReadToo() {
        // GitHub answers form-encoded unless asked for JSON; a provider that always does must work.
        github.misbehave(FakeGitHub.Misbehaviour.TOKEN_ALWAYS_FORM);
        github.nextUser(new FakeGitHub.User("formy", 4242, "Formy", null, List.of(
                new FakeGitHub.Email("formy@github.example", true, true))));
        Browser browser = new Browser(server);
        HttpResponse<String> atApp = throughGitHub(browser, browser.authorize(params(Pkce.create(), "github")));
        assertThat(Browser.redirectParams(atApp)).as(atApp.body()).containsKey("code");
        JsonNode identity = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode("github|4242"), null)).path("identities").path(0);
        assertThat(identity.path("access_token").asText()).isEqualTo(github.lastAccessToken());
        assertThat(identity.path("expires_in").asLong()).isEqualTo(28800);
    }

    @Test
    void theLoginPageShowsTheGithubButtonAndItLogsIn() {
        github.nextUser(new FakeGitHub.User("buttons", 99, "Buttons", null, List.of(
                new FakeGitHub.Email("buttons@github.example", true, true))));
        Browser browser = new Browser(server);
        browser.authorize(params(Pkce.create(), null));
        HttpResponse<String> page = browser.follow();
        assertThat(page.body()).contains("Continue with GitHub").contains("Continue with Octo");
        Matcher button = Pattern.compile("href=\"(login/upstream\\?[^\"]+connection=github)\"").matcher(page.body());
        assertThat(button.find()).as(page.body()).isTrue();
        HttpResponse<String> toGitHub = browser.get("u/" + button.group(1).replace("&amp;", "&"));
        assertThat(toGitHub.statusCode()).as(toGitHub.body()).isEqualTo(302);
        assertThat(Browser.redirectParams(throughGitHub(browser, toGitHub))).containsKey("code");
    }

    @Test
    void theWholeGithubLoginRunsInChromiumFromTheLoginPagesButton() {
        NodePeers.require("playwright-core");
        NodePeers.requireChromium();
        github.nextUser(new FakeGitHub.User("chromium", 31337, "Chromium", null, List.of(
                new FakeGitHub.Email("chromium@github.example", true, true))));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AUTHORIZE_URL", server.issuer() + "authorize?" + Browser.form(params(Pkce.create(), null)));
        environment.put("APP_CALLBACK", CALLBACK);
        environment.put("BUTTON", "GitHub");
        environment.put("AUTO_APPROVE", "1");
        environment.put("SCREENSHOTS", NodeOidcProviderUpstreamPeerTest.SCREENSHOTS.toAbsolutePath().toString());
        environment.put("BUTTONS_SCREENSHOT", "github-login-buttons.png");
        NodePeers.Result result = NodePeers.run("upstream-browser.mjs", environment, 120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("\"callback\":\"" + CALLBACK + "?code=");
        assertThat(NodeOidcProviderUpstreamPeerTest.SCREENSHOTS.resolve("github-login-buttons.png")).exists();
        assertThat(server.management("GET", "api/v2/users/" + ManagementCalls.encode("github|31337"), null)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void tokenVaultRefreshesAnExpiredGithubTokenWithGithubsRefreshToken() {
        github.nextUser(new FakeGitHub.User("vaulted", 9090, "Vaulted User", "vaulted@github.example", List.of()));
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        Map<String, String> params = params(pkce, "github");
        params.put("scope", "openid offline_access");
        Map<String, String> answer = Browser.redirectParams(throughGitHub(browser, browser.authorize(params)));
        String loginToken = github.lastAccessToken();
        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + answer.get("code") + "&redirect_uri="
                + CALLBACK + "&code_verifier=" + pkce.verifier()));
        String refreshToken = tokens.path("refresh_token").asText();
        assertThat(refreshToken).as(tokens.toString()).isNotEmpty();

        // Auth0 Token Vault: while GitHub's token lives (8 hours), it is answered as it is.
        assertThat(TestServer.json(vault(refreshToken)).path("access_token").asText()).isEqualTo(loginToken);
        // Past its expiry, GitHub's refresh token is spent at its token endpoint for a new one.
        clock.advance(Duration.ofHours(9));
        HttpResponse<String> refreshed = vault(refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String renewed = TestServer.json(refreshed).path("access_token").asText();
        assertThat(renewed).startsWith("gho_").isNotEqualTo(loginToken);
        assertThat(github.knows(renewed)).isTrue();
        // GitHub rotated its refresh token: the next refresh must spend the new one (the fake refuses a reuse).
        clock.advance(Duration.ofHours(9));
        HttpResponse<String> again = vault(refreshToken);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(TestServer.json(again).path("access_token").asText()).isNotEqualTo(renewed);
    }

    private static HttpResponse<String> vault(String refreshToken) {
        return server.postForm("oauth/token", "grant_type=" + ManagementCalls.encode(FederatedConnectionTokenGrant.TYPE)
                + "&client_id=" + clientId + "&client_secret=" + clientSecret
                + "&subject_token=" + ManagementCalls.encode(refreshToken)
                + "&subject_token_type=" + ManagementCalls.encode("urn:ietf:params:oauth:token-type:refresh_token")
                + "&requested_token_type=" + ManagementCalls.encode(FederatedConnectionTokenGrant.REQUESTED_TOKEN_TYPE)
                + "&connection=github");
    }

    static Map<String, String> params(Pkce pkce, String connection) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid profile email",
                "app-state");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        if (connection != null) {
            params.put("connection", connection);
        }
        return params;
    }

    /** Follows the redirects through GitHub and /login/callback until the app's callback. */
    static HttpResponse<String> throughGitHub(Browser browser, HttpResponse<String> response) {
        return FakeGitHub.follow(browser, response, CALLBACK);
    }

    private static String subject(String idToken) {
        try {
            return SignedJWT.parse(idToken).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
