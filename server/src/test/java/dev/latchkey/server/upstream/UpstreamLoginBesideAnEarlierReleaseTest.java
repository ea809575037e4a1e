package dev.latchkey.server.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.store.PostgresSchema;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.FakeGitHub;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream login on a node of this release while a node of an earlier release uses the same PostgreSQL
 * database (a connection under the driver's default name, as earlier releases leave it): the state sent to the
 * provider, the code and the opaque access token keep the stored forms every release reads, and the login works
 * as with the sealed forms. The state is still single use.
 */
class UpstreamLoginBesideAnEarlierReleaseTest {

    private static final String CALLBACK = "https://app.example.com/callback";

    @Test
    void theStoredFormsAreHandedOutAndWorkWhileAnEarlierReleaseIsConnected() throws Exception {
        PostgresSchema.requireReachable();
        Properties unnamed = new Properties();
        unnamed.setProperty("user", PostgresSchema.USER);
        try (PostgresSchema schema = PostgresSchema.create();
             FakeGitHub github = FakeGitHub.start();
             Connection earlierRelease = DriverManager.getConnection(PostgresSchema.SERVER_URL, unnamed);
             TestServer server = TestServer.start(s -> TestSettings.withDatabase(s, schema.url(),
                     PostgresSchema.USER))) {
            assertThat(earlierRelease.isValid(1)).isTrue();
            JsonNode client = server.createClient("""
                    {"name":"App","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
            String clientId = client.path("client_id").asText();
            HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                    {"name":"github","strategy":"github","enabled_clients":["%s"],
                     "options":{"client_id":"%s","client_secret":"%s",%s}}"""
                    .formatted(clientId, FakeGitHub.CLIENT_ID, FakeGitHub.CLIENT_SECRET, github.endpointOptions()));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            github.nextUser(new FakeGitHub.User("rolling", 4242, "Rolling Upgrade", null, List.of(
                    new FakeGitHub.Email("rolling@github.example", true, true))));

            Browser browser = new Browser(server);
            Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid", "app-state");
            Pkce pkce = Pkce.create();
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
            params.put("connection", "github");
            HttpResponse<String> toGitHub = browser.authorize(params);
            assertThat(toGitHub.statusCode()).as(toGitHub.body()).isEqualTo(302);
            // 256 random bits, stored by their digest: what the earlier release reads at its /login/callback.
            assertThat(Browser.redirectParams(toGitHub).get("state")).hasSize(43);

            HttpResponse<String> atGitHubsRedirect = browser.get(FakeGitHub.location(toGitHub).toString());
            String callback = FakeGitHub.location(atGitHubsRedirect).toString();
            HttpResponse<String> atApp = FakeGitHub.follow(browser, atGitHubsRedirect, CALLBACK);
            Map<String, String> answer = Browser.redirectParams(atApp);
            assertThat(answer).containsEntry("state", "app-state");
            assertThat(answer.get("code")).hasSize(43);
            // RFC 6749 §10.12: a stored state is spent by its callback.
            assertThat(browser.get(callback).statusCode()).isEqualTo(400);

            HttpResponse<String> token = server.postForm("oauth/token", "grant_type=authorization_code&client_id="
                    + clientId + "&client_secret=" + client.path("client_secret").asText() + "&code="
                    + answer.get("code") + "&redirect_uri=" + CALLBACK + "&code_verifier=" + pkce.verifier());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String accessToken = TestServer.json(token).path("access_token").asText();
            assertThat(accessToken).hasSize(43);
            HttpResponse<String> userinfo = server.send(java.net.http.HttpRequest.newBuilder(server.uri("userinfo"))
                    .header("Authorization", "Bearer " + accessToken).GET());
            assertThat(userinfo.statusCode()).isEqualTo(200);
            assertThat(TestServer.json(userinfo).path("sub").asText()).isEqualTo("github|4242");
        }
    }
}
