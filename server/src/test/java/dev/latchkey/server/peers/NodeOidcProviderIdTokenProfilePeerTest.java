package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.Browser;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.Pkce;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.UpstreamIdp;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * node-oidc-provider putting the profile in its ID tokens as well as at userinfo (as Google does): Latchkey then
 * takes the profile from the ID token and leaves the userinfo call out ({@code ProfileInIdToken}); the user gets
 * the same profile as through userinfo.
 */
class NodeOidcProviderIdTokenProfilePeerTest {

    private static final String CALLBACK = NodeOidcProviderUpstreamPeerTest.CALLBACK;

    @Test
    void theProfileFromTheIdTokenAloneIsTheWholeProfile() {
        try (TestServer server = TestServer.start();
             UpstreamIdp idp = UpstreamIdp.start(server.issuer() + "login/callback", Map.of("ID_TOKEN_CLAIMS", "1"))) {
            String clientId = server.createClient("""
                    {"name":"Upstream app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK))
                    .path("client_id").asText();
            HttpResponse<String> created = server.management("POST", "api/v2/connections", """
                    {"name":"idp-claims","strategy":"oidc","enabled_clients":["%s"],
                     "options":{"discovery_url":"%s","client_id":"%s","client_secret":"%s",
                      "scope":"openid profile email"}}"""
                    .formatted(clientId, idp.discoveryUrl(), UpstreamIdp.CLIENT_ID, UpstreamIdp.CLIENT_SECRET));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            Browser browser = new Browser(server);
            Map<String, String> params = Browser.authorizeParams("code", clientId, CALLBACK, "openid profile email",
                    "app-state");
            Pkce pkce = Pkce.create();
            params.put("code_challenge", pkce.challenge());
            params.put("code_challenge_method", "S256");
            params.put("connection", "idp-claims");
            HttpResponse<String> atApp = NodeOidcProviderUpstreamPeerTest.throughProvider(browser,
                    browser.authorize(params), "judy");
            assertThat(Browser.redirectParams(atApp)).as(atApp.body()).containsKey("code");

            JsonNode user = TestServer.json(server.management("GET", "api/v2/users/"
                    + ManagementCalls.encode("oidc|idp-claims|judy"), null));
            assertThat(user.path("email").asText()).isEqualTo("judy@upstream.example");
            assertThat(user.path("email_verified").asBoolean()).isTrue();
            assertThat(user.path("name").asText()).isEqualTo("Upstream judy");
            assertThat(user.path("given_name").asText()).isEqualTo("Upstream");
            assertThat(user.path("family_name").asText()).isEqualTo("judy");
            assertThat(user.path("nickname").asText()).isEqualTo("judy");
        }
    }
}
