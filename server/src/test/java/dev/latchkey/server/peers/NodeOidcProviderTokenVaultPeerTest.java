package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.oauth.grant.FederatedConnectionTokenGrant;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import dev.latchkey.server.testing.TestUsers;
import dev.latchkey.server.testing.UpstreamIdp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.latchkey.server.peers.NodeOidcProviderUpstreamPeerTest.CALLBACK;
import static dev.latchkey.server.peers.NodeOidcProviderUpstreamPeerTest.throughProvider;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * node-oidc-provider (npm, 9.13.3) as the IdP whose tokens an application gets back and refreshed: Auth0's Node
 * SDK asks Latchkey's Token Vault ({@code oauth.tokenForConnection}) on an HTTPS server whose clock the test moves,
 * while the provider rotates its refresh tokens; and a federated logout that ends the provider's session too.
 */
class NodeOidcProviderTokenVaultPeerTest {

    static final String CONNECTION = "vault-oidc";
    static final String LOGGED_OUT = "https://app.example.com/logged-out";
    /** The SSO cookie's name over HTTPS. */
    static final String SESSION = "__Host-latchkey_session";
    private static final Pattern FORM = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern XSRF = Pattern.compile("name=\"xsrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static MovableClock clock;
    static TestServer server;
    static ClockControl control;
    static UpstreamIdp idp;
    static Path certificate;
    static String clientId;
    static String clientSecret;

    @BeforeAll
    static void start() throws Exception {
        SelfSignedCertificate self = SelfSignedCertificate.generate();
        certificate = self.writeCertificate(dir);
        Path key = self.writeKey(dir, KeyFormat.PKCS8);
        clock = MovableClock.startingNow();
        server = TestServer.start(s -> TestSettings.withTls(s, certificate, key), clock);
        control = ClockControl.serve(clock);
        idp = UpstreamIdp.start(server.issuer() + "login/callback", Map.of("POST_LOGOUT_REDIRECT_URI", LOGGED_OUT));
        JsonNode client = server.createClient("""
                {"name":"Vault app","app_type":"regular_web","callbacks":["%s"],"allowed_logout_urls":["%s"],
                 "grant_types":["authorization_code","refresh_token","%s"]}"""
                .formatted(CALLBACK, LOGGED_OUT, FederatedConnectionTokenGrant.TYPE));
        clientId = client.path("client_id").asText();
        clientSecret = client.path("client_secret").asText();
        // offline_access: the provider's refresh token is what keeps its access token fresh.
        HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                {"name":"%s","strategy":"oidc","enabled_clients":["%s"],
                 "options":{"discovery_url":"%s","client_id":"%s","client_secret":"%s",
                            "scope":"openid profile email offline_access"}}"""
                .formatted(CONNECTION, clientId, idp.discoveryUrl(), UpstreamIdp.CLIENT_ID, UpstreamIdp.CLIENT_SECRET));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (idp != null) {
            idp.close();
        }
        if (control != null) {
            control.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void auth0NodeSdkGetsTheProvidersTokenFromTokenVaultRefreshedWhenItHasExpired() {
        NodePeers.require("auth0");
        Browser browser = new Browser(server);
        Pkce pkce = Pkce.create();
        HttpResponse<String> atApp = throughProvider(browser, browser.authorize(params(pkce)), "vera");
        JsonNode tokens = TestServer.json(server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                + clientId + "&client_secret=" + clientSecret + "&code=" + Browser.redirectParams(atApp).get("code")
                + "&redirect_uri=" + CALLBACK + "&code_verifier=" + pkce.verifier()));
        assertThat(tokens.path("refresh_token").asText()).as(tokens.toString()).isNotEmpty();
        JsonNode identity = TestServer.json(server.management("GET", "api/v2/users/"
                + ManagementCalls.encode("oidc|" + CONNECTION + "|vera"), null)).path("identities").path(0);

        Map<String, String> environment = new HashMap<>();
        environment.put("DOMAIN", "localhost:" + server.latchkey().port());
        environment.put("NODE_EXTRA_CA_CERTS", certificate.toString());
        environment.put("CLIENT_ID", clientId);
        environment.put("CLIENT_SECRET", clientSecret);
        environment.put("REFRESH_TOKEN", tokens.path("refresh_token").asText());
        environment.put("CONNECTION", CONNECTION);
        environment.put("LOGIN_ACCESS_TOKEN", identity.path("access_token").asText());
        environment.put("SUBJECT", "vera");
        environment.put("PROVIDER_USERINFO", idp.issuer() + "/me");
        environment.put("CLOCK_URL", control.url());
        NodePeers.Result result = NodePeers.run("auth0-node-token-vault.mjs", environment, 120);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("{\"kept\":true,\"refreshedWorksAtProvider\":true,"
                + "\"concurrentShareOneRefresh\":true,\"rotatedKept\":true,\"refusal\":\"invalid_grant\","
                + "\"refusalStatus\":403}");
    }

    @Test
    void aFederatedLogoutEndsTheProvidersSessionToo() {
        Browser browser = new Browser(server);
        throughProvider(browser, browser.authorize(params(Pkce.create())), "walt");
        assertThat(providerSession(browser)).isTrue();

        HttpResponse<String> logout = browser.get("v2/logout?federated&client_id=" + clientId + "&returnTo="
                + ManagementCalls.encode(LOGGED_OUT));
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
        String location = logout.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(idp.issuer() + "/session/end?");
        // OIDC RP-Initiated Logout 1.0 §2: the login's ID token, our client_id, the app's checked address.
        Map<String, String> sent = Browser.redirectParams(logout);
        assertThat(sent).containsKey("id_token_hint").containsEntry("client_id", UpstreamIdp.CLIENT_ID)
                .containsEntry("post_logout_redirect_uri", LOGGED_OUT);
        assertThat(browser.cookie(SESSION)).isNull();

        // The provider asks the user to confirm, then sends the browser back to the app.
        HttpResponse<String> confirm = browser.get(location);
        Matcher action = FORM.matcher(confirm.body());
        Matcher xsrf = XSRF.matcher(confirm.body());
        assertThat(action.find() && xsrf.find()).as(confirm.body()).isTrue();
        HttpResponse<String> back = browser.post(confirm.uri().resolve(action.group(1)).toString(),
                Map.of("xsrf", xsrf.group(1), "logout", "yes"));
        assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(LOGGED_OUT);
        assertThat(providerSession(browser)).isFalse();
    }

    @Test
    void withoutFederatedOrForAnotherLoginTheProvidersSessionIsLeftAlone() {
        Browser browser = new Browser(server);
        throughProvider(browser, browser.authorize(params(Pkce.create())), "xena");
        HttpResponse<String> plain = browser.get("v2/logout?client_id=" + clientId + "&returnTo="
                + ManagementCalls.encode(LOGGED_OUT));
        assertThat(plain.headers().firstValue("Location").orElseThrow()).isEqualTo(LOGGED_OUT);
        assertThat(providerSession(browser)).isTrue();

        // A returnTo the application does not list: an error page, and no trip to the provider either.
        Browser other = new Browser(server);
        throughProvider(other, other.authorize(params(Pkce.create())), "xavier");
        HttpResponse<String> refused = other.get("v2/logout?federated&client_id=" + clientId + "&returnTo="
                + ManagementCalls.encode("https://evil.example.com/"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(other.cookie(SESSION)).isNull();
        assertThat(providerSession(other)).isTrue();

        // A session from a password login: federated is ignored.
        TestUsers.create(server, "yann@example.com");
        Browser local = new Browser(server);
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "s");
        local.authorize(params);
        local.logIn("yann@example.com", TestUsers.PASSWORD);
        assertThat(local.cookie(SESSION)).isNotNull();
        HttpResponse<String> ignored = local.get("oidc/logout?federated&client_id=" + clientId
                + "&post_logout_redirect_uri=" + ManagementCalls.encode(LOGGED_OUT));
        assertThat(ignored.headers().firstValue("Location").orElseThrow()).isEqualTo(LOGGED_OUT);
        assertThat(local.cookie(SESSION)).isNull();
    }

    /** True when the provider still knows this browser: an authorization request with prompt=none succeeds. */
    private static boolean providerSession(Browser browser) {
        Pkce pkce = Pkce.create();
        Map<String, String> params = Browser.authorizeParams("code", UpstreamIdp.CLIENT_ID,
                server.issuer() + "login/callback", "openid", "probe");
        params.put("prompt", "none");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        HttpResponse<String> answer = browser.get(idp.issuer() + "/auth?" + Browser.form(params));
        while (answer.statusCode() / 100 == 3 && answer.uri().resolve(answer.headers().firstValue("Location")
                .orElseThrow()).toString().startsWith(idp.issuer())) {
            answer = browser.get(answer.uri().resolve(answer.headers().firstValue("Location").orElseThrow())
                    .toString());
        }
        Map<String, String> back = Browser.redirectParams(answer);
        assertThat(back).as(answer.statusCode() + " " + answer.body()).containsKey("state");
        return back.containsKey("code");
    }

    private static Map<String, String> params(Pkce pkce) {
        Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK,
                "openid profile email offline_access", "app-state");
        params.put("code_challenge", pkce.challenge());
        params.put("code_challenge_method", "S256");
        params.put("connection", CONNECTION);
        return params;
    }
}
