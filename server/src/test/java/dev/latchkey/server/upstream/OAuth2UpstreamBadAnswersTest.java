package dev.latchkey.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.FakeGitHub;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A GitHub-shaped provider behind a {@code github} connection that answers wrongly, one way per test: each
 * answer must log nobody in, start no session and make no user, and end in a page or an error for the client,
 * never a 500.
 */
class OAuth2UpstreamBadAnswersTest {

    static final String CALLBACK = "https://app.example.com/callback";

    static TestServer server;
    static FakeGitHub github;
    static String clientId;
    static String otherClientId;
    static final AtomicLong IDS = new AtomicLong(1000);

    @BeforeAll
    static void start() {
        github = FakeGitHub.start();
        server = TestServer.start();
        clientId = server.createClient("""
                {"name":"App","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        otherClientId = server.createClient("""
                {"name":"Other","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                .path("client_id").asText();
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"github","strategy":"github","enabled_clients":["%s"],
                 "options":{"client_id":"%s","client_secret":"%s","upstream_timeout_seconds":1,%s}}"""
                .formatted(clientId, FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.endpointOptions()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // Facebook and Microsoft presets pointed at the same fake: their profile's email_verified is not trusted.
        for (String strategy : List.of("facebook", "windowslive")) {
            HttpResponse<String> preset = server.management("POST", "api/v2/connections", """
                    {"name":"%1$s","strategy":"%1$s","enabled_clients":["%2$s"],
                     "options":{"client_id":"%3$s","client_secret":"%4$s","fieldsMap":{"email":"email"},
                      "authorizationURL":"%5$s/login/oauth/authorize","tokenURL":"%5$s/login/oauth/access_token",
                      "userInfoURL":"%5$s/user"}}""".formatted(strategy, clientId, FakeGitHub.CLIENT_ID,
                    FakeGitHub.CLIENT_SECRET, github.base()));
            assertThat(preset.statusCode()).as(preset.body()).isEqualTo(201);
        }
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
    void anHonestAnswerLogsTheUserIn() {
        Attempt attempt = begin();
        HttpResponse<String> answer = attempt.throughGitHub();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
        assertThat(Browser.redirectParams(answer)).containsKey("code");
        assertThat(userExists(attempt.id)).isTrue();
    }

    @Test
    void theProvidersErrorEndsTheLoginWithAccessDeniedForTheClient() {
        Attempt attempt = begin();
        HttpResponse<String> answer = attempt.browser.get("login/callback?state=" + enc(attempt.state)
                + "&error=access_denied&error_description=" + enc("The user has denied your application access."));
        // RFC 6749 §4.1.2.1.
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(Browser.redirectParams(answer)).containsEntry("error", "access_denied")
                .containsEntry("state", "app-state");
        assertThat(attempt.browser.cookie("latchkey_session")).isNull();
    }

    @Test
    void aTokenEndpointAnswering500IsA502() {
        github.misbehave(FakeGitHub.Misbehaviour.TOKEN_500);
        refused(begin(), 502);
    }

    @Test
    void aTokenEndpointThatDoesNotAnswerInTimeIsA502() {
        github.misbehave(FakeGitHub.Misbehaviour.TOKEN_SLOW);
        refused(begin(), 502);
    }

    @Test
    void aTenMegabyteTokenAnswerIsNotReadWhole() {
        github.misbehave(FakeGitHub.Misbehaviour.TOKEN_HUGE);
        refused(begin(), 502);
    }

    @Test
    void aTokenAnswerWithoutAnAccessTokenIsRefused() {
        github.misbehave(FakeGitHub.Misbehaviour.TOKEN_WITHOUT_ACCESS_TOKEN);
        refused(begin(), 400);
    }

    @Test
    void aReplayedCodeIsTheProvidersRefusal() {
        // GitHub says bad_verification_code with HTTP 200: the provider's no, access_denied for the client.
        Attempt first = begin();
        HttpResponse<String> atCallback = first.untilCallback();
        String callback = FakeGitHub.location(atCallback).toString();
        assertThat(first.browser.get(callback).statusCode()).isEqualTo(302);
        Attempt second = begin();
        HttpResponse<String> answer = second.browser.get("login/callback?state=" + enc(second.state) + "&code="
                + enc(Browser.redirectParams(atCallback).get("code")));
        assertThat(Browser.redirectParams(answer)).containsEntry("error", "access_denied");
        assertThat(second.browser.cookie("latchkey_session")).isNull();
    }

    @Test
    void aProfileWithoutAnIdIsRefused() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_WITHOUT_ID);
        refused(begin(), 400);
    }

    @Test
    void anIdThatIsNeitherAStringNorANumberIsRefused() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_ID_OBJECT);
        refused(begin(), 400);
    }

    @Test
    void anIdLongerThan255CharactersIsRefused() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_ID_TOO_LONG);
        refused(begin(), 400);
    }

    @Test
    void aProfileEndpointRefusingTheTokenIsRefused() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_401);
        refused(begin(), 400);
    }

    @Test
    void aCallbackCountsOnceAndOnlyInTheBrowserThatStartedTheLogin() {
        Attempt attempt = begin();
        String callback = FakeGitHub.location(attempt.untilCallback()).toString();
        // RFC 6749 §10.12: a state carried to another browser does not log that browser in.
        Browser elsewhere = new Browser(server);
        assertThat(elsewhere.get(callback).statusCode()).isEqualTo(403);
        assertThat(elsewhere.cookie("latchkey_session")).isNull();
        assertThat(userExists(attempt.id)).isFalse();
        // The refused attempt spent nothing: the browser that started the login still finishes it.
        HttpResponse<String> finished = attempt.browser.get(callback);
        assertThat(Browser.redirectParams(finished)).containsKey("code");
        // RFC 9700 §4.7: the same callback again is refused. The code is spent at the provider, which says
        // bad_verification_code (GitHub's invalid_grant): access_denied for the client, no code.
        HttpResponse<String> replay = attempt.browser.get(callback);
        assertThat(Browser.redirectParams(replay)).containsEntry("error", "access_denied").doesNotContainKey("code");
    }

    @Test
    void aStateTheProviderAnswersAgainWhileItsLoginWaitsOnAPageKeepsThatPage() {
        // A third-party application gets the consent page after the provider's answer: only then is the login
        // transaction the sealed state carried stored.
        String thirdParty = server.createClient("""
                {"name":"Third","app_type":"regular_web","is_first_party":false,"callbacks":["%s"]}"""
                .formatted(CALLBACK)).path("client_id").asText();
        String connectionId = TestServer.json(server.management("GET", "api/v2/connections?name=github", null))
                .get(0).path("id").asText();
        assertThat(server.management("PATCH", "api/v2/connections/" + connectionId, """
                {"enabled_clients":["%s","%s"]}""".formatted(clientId, thirdParty)).statusCode()).isEqualTo(200);
        long id = IDS.incrementAndGet();
        github.nextUser(new FakeGitHub.User("user" + id, id, "User " + id, null, List.of(
                new FakeGitHub.Email("user" + id + "@github.example", true, true))));
        Browser browser = new Browser(server);
        Map<String, String> params = params();
        params.put("client_id", thirdParty);
        HttpResponse<String> toGitHub = browser.authorize(params);
        HttpResponse<String> answered = browser.get(FakeGitHub.location(toGitHub).toString());
        HttpResponse<String> consent = browser.get(FakeGitHub.location(answered).toString());
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
        assertThat(FakeGitHub.location(consent).getPath()).endsWith("/u/consent");

        // The browser goes back to GitHub, which has a session of its own and answers the same state with a new
        // code: the same login again, on the same page, never a server error.
        HttpResponse<String> answeredAgain = browser.get(FakeGitHub.location(toGitHub).toString());
        assertThat(Browser.redirectParams(answeredAgain).get("state")).isEqualTo(Browser.redirectParams(answered)
                .get("state"));
        HttpResponse<String> again = browser.get(FakeGitHub.location(answeredAgain).toString());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(302);
        assertThat(FakeGitHub.location(again)).isEqualTo(FakeGitHub.location(consent));
    }

    @Test
    void aUserWithOnlyUnverifiedEmailsIsMadeUnverifiedAndNeverJoinsTheAccountWithThatEmail() {
        String email = "unverified-" + IDS.incrementAndGet() + "@github.example";
        String existing = TestUsers.create(server, email).userId();
        long id = IDS.incrementAndGet();
        github.nextUser(new FakeGitHub.User("unverified", id, "Unverified", null, List.of(
                new FakeGitHub.Email(email, true, false),
                new FakeGitHub.Email("other-" + email, false, false))));
        Browser browser = new Browser(server);
        HttpResponse<String> atApp = FakeGitHub.follow(browser, browser.authorize(params()), CALLBACK);
        assertThat(Browser.redirectParams(atApp)).containsKey("code");
        JsonNode upstream = TestServer.json(server.management("GET", "api/v2/users/"
                + enc("github|" + id), null));
        assertThat(upstream.path("email").asText()).isEqualTo(email);
        assertThat(upstream.path("email_verified").asBoolean(true)).isFalse();
        JsonNode database = TestServer.json(server.management("GET", "api/v2/users/" + enc(existing), null));
        assertThat(database.path("identities")).hasSize(1);
        assertThat(database.path("identities").path(0).path("provider").asText()).isEqualTo("auth0");
        assertThat(database.path("logins_count").asInt()).isZero();
    }

    @Test
    void aPublicEmailThatGithubDoesNotCallVerifiedStaysUnverified() {
        long id = IDS.incrementAndGet();
        github.nextUser(new FakeGitHub.User("public", id, "Public", "public-" + id + "@github.example", List.of(
                new FakeGitHub.Email("public-" + id + "@github.example", false, false),
                new FakeGitHub.Email("primary-" + id + "@github.example", true, false))));
        Browser browser = new Browser(server);
        assertThat(Browser.redirectParams(FakeGitHub.follow(browser, browser.authorize(params()), CALLBACK)))
                .containsKey("code");
        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/" + enc("github|" + id), null));
        assertThat(user.path("email").asText()).isEqualTo("public-" + id + "@github.example");
        assertThat(user.path("email_verified").asBoolean(true)).isFalse();
    }

    @Test
    void facebookAndMicrosoftProfilesNeverMakeAnEmailVerified() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_SAYS_EMAIL_VERIFIED);
        for (String strategy : List.of("facebook", "windowslive")) {
            long id = IDS.incrementAndGet();
            String email = strategy + "-" + id + "@social.example";
            github.nextUser(new FakeGitHub.User(strategy + id, id, "Social " + id, email, List.of()));
            Map<String, String> params = params();
            params.put("connection", strategy);
            Browser browser = new Browser(server);
            assertThat(Browser.redirectParams(FakeGitHub.follow(browser, browser.authorize(params), CALLBACK)))
                    .containsKey("code");
            // Neither provider says whether an email is verified, so a profile that claims it is not believed.
            JsonNode user = TestServer.json(server.management("GET", "api/v2/users/" + enc(strategy + "|" + id),
                    null));
            assertThat(user.path("email").asText()).isEqualTo(email);
            assertThat(user.path("email_verified").asBoolean(true)).as(strategy).isFalse();
        }
    }

    @Test
    void githubsProfileSayingVerifiedIsNotBelievedOverItsEmailList() {
        github.misbehave(FakeGitHub.Misbehaviour.USER_SAYS_EMAIL_VERIFIED);
        long id = IDS.incrementAndGet();
        String email = "claims-" + id + "@github.example";
        github.nextUser(new FakeGitHub.User("claims", id, "Claims", email, List.of(
                new FakeGitHub.Email(email, true, false))));
        Browser browser = new Browser(server);
        assertThat(Browser.redirectParams(FakeGitHub.follow(browser, browser.authorize(params()), CALLBACK)))
                .containsKey("code");
        JsonNode user = TestServer.json(server.management("GET", "api/v2/users/" + enc("github|" + id), null));
        assertThat(user.path("email_verified").asBoolean(true)).isFalse();
    }

    @Test
    void aConnectionNotEnabledForTheClientIsInvalidRequest() {
        Map<String, String> other = Browser.authorizeParams("code", otherClientId, CALLBACK, "openid", "s");
        other.put("connection", "github");
        HttpResponse<String> disabled = new Browser(server).authorize(other);
        assertThat(Browser.redirectParams(disabled)).containsEntry("error", "invalid_request")
                .containsEntry("error_description", "the connection is not enabled for this client");
    }

    private void refused(Attempt attempt, int status) {
        HttpResponse<String> answer = attempt.browser.get(FakeGitHub.location(attempt.untilCallback()).toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain(FakeGitHub.CLIENT_SECRET)
                .doesNotContain("gho_");
        assertThat(attempt.browser.cookie("latchkey_session")).isNull();
        assertThat(userExists(attempt.id)).isFalse();
    }

    private static boolean userExists(long id) {
        return server.management("GET", "api/v2/users/" + enc("github|" + id), null).statusCode() == 200;
    }

    private static Map<String, String> params() {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "app-state");
        Pkce pkce = Pkce.create();
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.put("connection", "github");
        return params;
    }

    /** A login sent to the provider for a new GitHub user: the browser, the state Latchkey gave, the user's id. */
    private record Attempt(Browser browser, HttpResponse<String> toGitHub, String state, long id) {

        /** Through GitHub's approval, stopping at its redirect to Latchkey's /login/callback. */
        HttpResponse<String> untilCallback() {
            return browser.get(FakeGitHub.location(toGitHub).toString());
        }

        HttpResponse<String> throughGitHub() {
            return FakeGitHub.follow(browser, toGitHub, CALLBACK);
        }
    }

    private static Attempt begin() {
        long id = IDS.incrementAndGet();
        github.nextUser(new FakeGitHub.User("user" + id, id, "User " + id, null, List.of(
                new FakeGitHub.Email("user" + id + "@github.example", true, true))));
        Browser browser = new Browser(server);
        HttpResponse<String> toGitHub = browser.authorize(params());
        assertThat(toGitHub.statusCode()).as(toGitHub.body()).isEqualTo(302);
        assertThat(FakeGitHub.location(toGitHub).toString()).startsWith(github.base() + "/login/oauth/authorize?");
        return new Attempt(browser, toGitHub, Browser.redirectParams(toGitHub).get("state"), id);
    }

    private static String enc(String value) {
        return ManagementCalls.encode(value);
    }
}
