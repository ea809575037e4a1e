package dev.latchkey.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The login and consent pages, the SSO session, prompt and max_age, and their attacks. */
class LoginAndConsentPagesTest {

    static final String API = "https://pages.example.com/api";
    static final String CALLBACK = "https://app.example.com/callback";
    static TestServer server;
    static String firstParty;
    static String otherFirstParty;
    static String thirdParty;
    static String userId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createApi("""
                {"identifier":"%s","name":"Pages API","scopes":[{"value":"read:notes","description":"Read your notes"}]}"""
                .formatted(API));
        firstParty = client("Notes Web", true);
        otherFirstParty = client("Notes Admin", true);
        thirdParty = client("Partner App", false);
        userId = TestUsers.create(server, "linus@example.com").userId();
    }

    static String client(String name, boolean firstParty) {
        return server.createClient("""
                {"name":"%s","app_type":"regular_web","is_first_party":%s,"callbacks":["%s"]}"""
                .formatted(name, firstParty, CALLBACK)).path("client_id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Map<String, String> request(String clientId) {
        return Browser.authorizeParams("code", clientId, CALLBACK, "openid profile", "s");
    }

    static HttpResponse<String> loginPage(Browser browser, Map<String, String> params) {
        HttpResponse<String> response = browser.authorize(params);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/u/login?state=");
        return browser.follow();
    }

    @Test
    void loginPageShowsTheApplicationAndAnAccessibleForm() {
        Map<String, String> params = request(firstParty);
        params.put("login_hint", "linus@example.com");
        HttpResponse<String> page = loginPage(new Browser(server), params);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("Notes Web").contains("<html lang=\"en\">")
                .contains("<label for=\"email\">").contains("<label for=\"password\">")
                .contains("name=\"csrf\"").contains("value=\"linus@example.com\"")
                .doesNotContain("<script");
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        Browser browser = new Browser(server);
        loginPage(browser, request(firstParty));
        HttpResponse<String> wrongPassword = browser.submit("u/login",
                Map.of("email", "linus@example.com", "password", "not it"));
        HttpResponse<String> unknownEmail = browser.submit("u/login",
                Map.of("email", "nobody@example.com", "password", "not it"));
        assertThat(wrongPassword.statusCode()).isEqualTo(unknownEmail.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).contains("Wrong email or password.");
        assertThat(unknownEmail.body()).contains("Wrong email or password.").contains("role=\"alert\"");
    }

    @Test
    void loginFormWithoutTheCsrfCookieIsRejected() {
        Browser victim = new Browser(server);
        loginPage(victim, request(firstParty));
        Map<String, String> fields = victim.hiddenFields();
        // Another browser (an attacker's page posting cross-site) has no transaction cookie.
        Browser attacker = new Browser(server);
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("email", "linus@example.com");
        form.put("password", TestUsers.PASSWORD);
        HttpResponse<String> response = attacker.post("u/login", form);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(attacker.cookie(BrowserSession.SESSION_COOKIE)).isNull();
    }

    @Test
    void aLoginPageOpenedInAnotherBrowserIsRefused() {
        // RFC 9700 §4.7 (CSRF) and §4.2.4: a login started in one browser (an attacker's, say) and sent as a
        // link to another must not be finished there.
        Browser attacker = new Browser(server);
        attacker.authorize(request(firstParty));
        String loginUrl = attacker.last().headers().firstValue("Location").orElseThrow();
        Browser victim = new Browser(server);
        victim.authorize(request(firstParty)); // the victim has a binding of their own
        HttpResponse<String> page = victim.get(loginUrl);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).doesNotContain("name=\"csrf\"");
    }

    @Test
    void aLoginFormPostedFromAnotherBrowserIsRejected() {
        // RFC 9700 §4.7: the attacker's own state and CSRF token, posted from the victim's browser (which
        // holds a binding of its own), must not log the victim in to the attacker's transaction.
        Browser attacker = new Browser(server);
        loginPage(attacker, request(firstParty));
        Map<String, String> form = new LinkedHashMap<>(attacker.hiddenFields());
        form.put("email", "linus@example.com");
        form.put("password", TestUsers.PASSWORD);
        Browser victim = new Browser(server);
        loginPage(victim, request(firstParty));
        HttpResponse<String> response = victim.post("u/login", form);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Browser.setCookies(response)).noneMatch(c -> c.startsWith(BrowserSession.SESSION_COOKIE + "="));
    }

    @Test
    void aMalformedBindingIsReplacedAndAGoodOneKept() {
        HttpResponse<String> replaced = authorizeWithCookies(BrowserSession.BROWSER_COOKIE + "=not-a-binding");
        String binding = bindingSet(replaced);
        assertThat(binding).matches("[A-Za-z0-9_-]{43}");
        // The same value again, with its lifetime renewed.
        HttpResponse<String> kept = authorizeWithCookies(BrowserSession.BROWSER_COOKIE + "=" + binding);
        assertThat(bindingSet(kept)).isEqualTo(binding);
        assertThat(Browser.setCookies(kept)).anyMatch(c -> c.contains("Max-Age=1800"));
    }

    static HttpResponse<String> authorizeWithCookies(String cookieHeader) {
        return server.send(HttpRequest.newBuilder(server.uri("authorize?" + Browser.form(request(firstParty))))
                .header("Cookie", cookieHeader).GET());
    }

    static String bindingSet(HttpResponse<String> response) {
        String prefix = BrowserSession.BROWSER_COOKIE + "=";
        String cookie = Browser.setCookies(response).stream().filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow();
        return cookie.substring(prefix.length(), cookie.indexOf(';'));
    }

    @Test
    void aPlantedCookieOfTheSameNameDoesNotHideTheBinding() {
        // RFC 6265 §8.6: over plain HTTP a sibling host can set a cookie of the same name, which the browser
        // sends first; the login must still find the browser's own binding among the values.
        Browser browser = new Browser(server);
        browser.authorize(request(firstParty));
        String binding = browser.cookie(BrowserSession.BROWSER_COOKIE);
        String cookies = BrowserSession.BROWSER_COOKIE + "=planted; " + BrowserSession.BROWSER_COOKIE + "=" + binding;
        HttpResponse<String> redirect = authorizeWithCookies(cookies);
        assertThat(bindingSet(redirect)).isEqualTo(binding);
        HttpResponse<String> page = server.send(HttpRequest.newBuilder(
                URI.create(redirect.headers().firstValue("Location").orElseThrow())).header("Cookie", cookies).GET());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"csrf\"");
    }

    @Test
    void manyOpenLoginsKeepOneBrowserCookieAndEachStillWorks() {
        // Abandoned logins must not pile cookies up until the browser's Cookie header exceeds the server's
        // header limit: one binding cookie serves every login a browser opens.
        Browser browser = new Browser(server);
        List<String> loginUrls = new ArrayList<>();
        Set<String> cookieNames = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> redirect = browser.authorize(request(firstParty));
            loginUrls.add(redirect.headers().firstValue("Location").orElseThrow());
            Browser.setCookies(redirect).forEach(c -> cookieNames.add(c.substring(0, c.indexOf('='))));
        }
        assertThat(cookieNames).containsExactly(BrowserSession.BROWSER_COOKIE);
        // The first tab's login still works after four more were opened.
        browser.get(loginUrls.get(0));
        HttpResponse<String> loggedIn = browser.submit("u/login",
                Map.of("email", "linus@example.com", "password", TestUsers.PASSWORD));
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(302);
    }

    @Test
    void loginFormWithAWrongCsrfTokenIsRejected() {
        Browser browser = new Browser(server);
        loginPage(browser, request(firstParty));
        HttpResponse<String> response = browser.submit("u/login", Map.of("csrf", "forged",
                "email", "linus@example.com", "password", TestUsers.PASSWORD));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void loginStartsANewSessionWhateverCookieWasPlanted() {
        // OWASP session fixation: the session id changes at login.
        Browser browser = new Browser(server);
        browser.setCookie(BrowserSession.SESSION_COOKIE, "planted-by-attacker");
        browser.authorize(request(firstParty));
        HttpResponse<String> response = browser.logIn("linus@example.com", TestUsers.PASSWORD);
        assertThat(response.statusCode()).isEqualTo(302);
        String cookie = Browser.setCookies(response).stream()
                .filter(c -> c.startsWith(BrowserSession.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).doesNotContain("planted-by-attacker").contains("HttpOnly").contains("SameSite=Lax")
                .doesNotContain("Secure");

        Browser attacker = new Browser(server);
        attacker.setCookie(BrowserSession.SESSION_COOKIE, "planted-by-attacker");
        Map<String, String> silent = request(firstParty);
        silent.put("prompt", "none");
        assertThat(Browser.redirectParams(attacker.authorize(silent))).containsEntry("error", "login_required");
    }

    @Test
    void secondApplicationLogsInWithoutAPassword() {
        Browser browser = new Browser(server);
        browser.authorize(request(firstParty));
        browser.logIn("linus@example.com", TestUsers.PASSWORD);
        HttpResponse<String> second = browser.authorize(request(otherFirstParty));
        assertThat(second.statusCode()).isEqualTo(302);
        assertThat(Browser.redirectParams(second)).containsKey("code").containsEntry("state", "s");

        Map<String, String> silent = request(otherFirstParty);
        silent.put("prompt", "none");
        assertThat(Browser.redirectParams(browser.authorize(silent))).containsKey("code");
    }

    @Test
    void promptLoginAndMaxAgeAskForTheePasswordAgain() {
        Browser browser = new Browser(server);
        browser.authorize(request(firstParty));
        browser.logIn("linus@example.com", TestUsers.PASSWORD);

        Map<String, String> login = request(firstParty);
        login.put("prompt", "login");
        assertThat(browser.authorize(login).headers().firstValue("Location").orElseThrow()).contains("/u/login");
        HttpResponse<String> afterLogin = browser.logIn("linus@example.com", TestUsers.PASSWORD);
        assertThat(Browser.redirectParams(afterLogin)).containsKey("code");

        Map<String, String> maxAge = request(firstParty);
        maxAge.put("max_age", "0");
        maxAge.put("prompt", "none");
        // OIDC Core §3.1.2.1: an authentication older than max_age needs a new login.
        assertThat(Browser.redirectParams(browser.authorize(maxAge))).containsEntry("error", "login_required");
    }

    @Test
    void thirdPartyApplicationAsksConsentOnceAndRemembersIt() {
        Browser browser = new Browser(server);
        Map<String, String> params = request(thirdParty);
        params.put("audience", API);
        params.put("scope", "openid profile read:notes");
        browser.authorize(params);
        HttpResponse<String> toConsent = browser.logIn("linus@example.com", TestUsers.PASSWORD);
        assertThat(toConsent.headers().firstValue("Location").orElseThrow()).contains("/u/consent?state=");
        HttpResponse<String> consent = browser.follow();
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("Partner App").contains("Pages API").contains("Read your notes")
                .contains("linus@example.com");

        HttpResponse<String> accepted = browser.submit("u/consent", Map.of("action", "accept"));
        assertThat(Browser.redirectParams(accepted)).containsKey("code");

        // Remembered: the next authorization goes straight through, even silently.
        Map<String, String> silent = new LinkedHashMap<>(params);
        silent.put("prompt", "none");
        assertThat(Browser.redirectParams(browser.authorize(silent))).containsKey("code");

        HttpResponse<String> grants = server.management("GET", "api/v2/grants?user_id=" + userId.replace("|", "%7C")
                + "&client_id=" + thirdParty, null);
        assertThat(grants.statusCode()).isEqualTo(200);
        JsonNode grant = json(grants).get(0);
        assertThat(grant.path("clientID").asText()).isEqualTo(thirdParty);
        assertThat(grant.path("user_id").asText()).isEqualTo(userId);
        assertThat(grant.path("audience").asText()).isEqualTo(API);
        assertThat(grant.path("scope").toString()).contains("read:notes");

        // Deleting the grant brings consent back (prompt=none: consent_required).
        assertThat(server.management("DELETE", "api/v2/grants/" + grant.path("id").asText(), null).statusCode())
                .isEqualTo(204);
        assertThat(Browser.redirectParams(browser.authorize(silent))).containsEntry("error", "consent_required");
    }

    @Test
    void consentToMoreScopesAddsToTheGrantAndConsentToFewerKeepsIt() {
        String growing = client("Growing App", false);
        Browser browser = new Browser(server);
        Map<String, String> params = request(growing);
        params.put("audience", API);
        params.put("scope", "openid profile");
        browser.authorize(params);
        browser.logIn("linus@example.com", TestUsers.PASSWORD);
        browser.follow();
        assertThat(Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept")))).containsKey("code");

        // Auth0: a scope not granted yet asks again, and the grant then holds the old and the new scopes.
        params.put("scope", "openid profile read:notes");
        assertThat(browser.authorize(params).headers().firstValue("Location").orElseThrow())
                .contains("/u/consent?state=");
        browser.follow();
        assertThat(Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept")))).containsKey("code");
        assertThat(grantScopes(growing)).containsExactlyInAnyOrder("openid", "profile", "read:notes");

        // prompt=consent for fewer scopes asks, and accepting does not narrow what was granted.
        params.put("scope", "openid");
        params.put("prompt", "consent");
        browser.authorize(params);
        browser.follow();
        assertThat(Browser.redirectParams(browser.submit("u/consent", Map.of("action", "accept")))).containsKey("code");
        assertThat(grantScopes(growing)).containsExactlyInAnyOrder("openid", "profile", "read:notes");
    }

    /** The scopes of linus's one grant to {@code clientId}. */
    static List<String> grantScopes(String clientId) {
        JsonNode grants = json(server.management("GET", "api/v2/grants?user_id=" + userId.replace("|", "%7C")
                + "&client_id=" + clientId, null));
        assertThat(grants.size()).isEqualTo(1);
        List<String> scopes = new ArrayList<>();
        grants.get(0).path("scope").forEach(scope -> scopes.add(scope.asText()));
        return scopes;
    }

    @Test
    void decliningConsentIsAccessDenied() {
        Browser browser = new Browser(server);
        browser.authorize(request(thirdParty));
        browser.logIn("linus@example.com", TestUsers.PASSWORD);
        browser.follow();
        HttpResponse<String> declined = browser.submit("u/consent", Map.of("action", "deny"));
        assertThat(Browser.redirectParams(declined)).containsEntry("error", "access_denied").containsEntry("state", "s");
    }

    @Test
    void consentFormWithAForgedCsrfTokenIsRejected() {
        Browser browser = new Browser(server);
        browser.authorize(request(thirdParty));
        browser.logIn("linus@example.com", TestUsers.PASSWORD);
        browser.follow();
        Map<String, String> fields = browser.hiddenFields();
        HttpResponse<String> forged = browser.submit("u/consent", Map.of("action", "accept", "csrf", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        // The right session and form, but another browser's binding: neither the page nor the form counts.
        String cookies = BrowserSession.SESSION_COOKIE + "=" + browser.cookie(BrowserSession.SESSION_COOKIE)
                + "; " + BrowserSession.BROWSER_COOKIE + "=" + "x".repeat(43);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("u/consent?state=" + fields.get("state")))
                .header("Cookie", cookies).GET()).statusCode()).isEqualTo(400);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("u/consent")).header("Cookie", cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(Map.of("state", fields.get("state"),
                        "csrf", fields.get("csrf"), "action", "accept"))))).statusCode()).isEqualTo(403);
        Browser other = new Browser(server);
        HttpResponse<String> otherBrowser = other.post("u/consent", Map.of("state", fields.get("state"),
                "csrf", fields.get("csrf"), "action", "accept"));
        assertThat(otherBrowser.statusCode()).isEqualTo(403);
    }

    @Test
    void promptConsentAsksEvenForFirstParty() {
        Browser browser = new Browser(server);
        Map<String, String> params = request(firstParty);
        params.put("prompt", "consent");
        browser.authorize(params);
        HttpResponse<String> response = browser.logIn("linus@example.com", TestUsers.PASSWORD);
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/u/consent");
    }

    @Test
    void expiredOrUnknownTransactionShowsAPage() {
        HttpResponse<String> page = new Browser(server).get("u/login?state=nothing-here");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("expired");
    }

    @Test
    void tooManyFailuresAnswer429WithRateLimitHeaders() {
        TestUsers.create(server, "target@example.com");
        Browser browser = new Browser(server);
        loginPage(browser, request(firstParty));
        HttpResponse<String> response = null;
        for (int i = 0; i < 12; i++) {
            response = browser.submit("u/login", Map.of("email", "target@example.com", "password", "guess " + i));
            if (response.statusCode() == 429) {
                break;
            }
        }
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).isPresent();
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(response.headers().firstValue("X-RateLimit-Reset")).isPresent();
        assertThat(response.body()).contains("Too many failed login attempts");
    }
}
