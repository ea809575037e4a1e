package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certified relying party openid-client (npm, 6.8.9) in the device flow (RFC 8628):
 * {@code initiateDeviceAuthorization} and {@code pollDeviceAuthorizationGrant}, while Debian's Chromium
 * (playwright-core) opens {@code verification_uri_complete}, logs in and confirms on the consent page
 * (§3.3); the tokens carry a refresh token for {@code offline_access} (Auth0 §1.5), and the used device code
 * is then refused. Screenshots of the pages are kept in target/screenshots.
 */
class OpenIdClientDevicePeerTest {

    static final String API = "https://device-peer.example.com/api";
    static final String NAME = "Device peer TV";

    @Test
    void openidClientGetsTokensForADeviceApprovedInChromium() {
        NodePeers.require("openid-client", "playwright-core");
        NodePeers.requireChromium();
        MovableClock clock = MovableClock.startingNow();
        try (TestServer server = TestServer.start(clock); ClockControl control = ClockControl.serve(clock)) {
            server.createApi("""
                    {"identifier":"%s","name":"Device API","scopes":[{"value":"read:peer"}],"allow_offline_access":true}"""
                    .formatted(API));
            JsonNode client = server.createClient("""
                    {"name":"%s","app_type":"native","grant_types":["urn:ietf:params:oauth:grant-type:device_code",
                     "refresh_token"],"refresh_token":{"rotation_type":"rotating","expiration_type":"expiring"}}"""
                    .formatted(NAME));
            TestUsers.create(server, "device-user@example.com");
            Map<String, String> environment = new HashMap<>();
            environment.put("ISSUER", server.issuer());
            environment.put("CLIENT_ID", client.path("client_id").asText());
            environment.put("CLIENT_NAME", NAME);
            environment.put("AUDIENCE", API);
            environment.put("EMAIL", "device-user@example.com");
            environment.put("PASSWORD", TestUsers.PASSWORD);
            environment.put("CLOCK_URL", control.url());
            environment.put("SCREENSHOTS", Auth0SpaJsBrowserTest.SCREENSHOTS.toString());
            NodePeers.Result result = NodePeers.run("openid-client-device.mjs", environment, 120);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("\"flow\":\"device\",\"ok\":true,\"confirmed\":true")
                    .contains("\"refusal\":\"invalid_grant\"");
        }
    }
}
