package dev.latchkey.server.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JWT whose signature was checked once is remembered ({@link VerifiedJwts}), but only while what signed it
 * would still verify it: here an HS256 API's token, introspected (RFC 7662), then the API's secret changed.
 */
class RememberedTokensTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    @Test
    void anHs256TokenStopsBeingActiveOnceItsApisSecretChanges() {
        String audience = "https://remembered-hs256.example.com";
        JsonNode api = server.createApi("{\"identifier\":\"" + audience + "\",\"signing_alg\":\"HS256\"}");
        JsonNode client = server.createClient("{\"name\":\"hs256 caller\",\"app_type\":\"non_interactive\"}");
        String credentials = "client_id=" + client.get("client_id").asText() + "&client_secret="
                + client.get("client_secret").asText();
        server.grant(client.get("client_id").asText(), audience);
        String token = json(server.postForm("oauth/token", "grant_type=client_credentials&" + credentials
                + "&audience=" + audience)).get("access_token").asText();
        for (int i = 0; i < 2; i++) {
            assertThat(introspect(credentials, token).get("active").asBoolean()).isTrue();
        }

        // RFC 7662 §2.2: a token whose signature no longer verifies is not active.
        assertThat(server.management("PATCH", "api/v2/resource-servers/" + api.get("id").asText(),
                "{\"signing_secret\":\"another-hs256-secret-of-more-than-thirty-two-characters\"}").statusCode())
                .isEqualTo(200);

        assertThat(introspect(credentials, token).get("active").asBoolean()).isFalse();
    }

    private static JsonNode introspect(String credentials, String token) {
        return json(server.postForm("oauth/introspect", credentials + "&token=" + token));
    }
}
