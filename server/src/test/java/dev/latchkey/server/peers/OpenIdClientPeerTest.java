package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certified relying party openid-client (npm, 6.8.9) against the running server: code + PKCE
 * (opaque and JWT access tokens), implicit {@code id_token}, hybrid {@code code id_token} with
 * form_post (OIDC Core §3.1-§3.3, Form Post Response Mode), /userinfo (OIDC Core §5.3), and a
 * refresh token's life through {@code tokenIntrospection} (RFC 7662 §2), {@code refreshTokenGrant}
 * once the access token has expired on the server's moved clock (RFC 6749 §6) and
 * {@code tokenRevocation} (RFC 7009 §2).
 */
class OpenIdClientPeerTest {

    static final String CALLBACK = "https://rp.example.com/callback";
    static final String API = "https://peer.example.com/api";
    static final int ACCESS_TOKEN_LIFETIME = 120;

    @Test
    void openidClientRunsCodeImplicitHybridUserinfoRefreshIntrospectionAndRevocation() {
        NodePeers.require("openid-client");
        MovableClock clock = MovableClock.startingNow();
        try (TestServer server = TestServer.start(clock); ClockControl control = ClockControl.serve(clock)) {
            // Auth0 §4.2: refresh tokens for offline_access only where the API allows offline access.
            server.createApi("""
                    {"identifier":"%s","name":"Peer API","scopes":[{"value":"read:peer"}],"allow_offline_access":true,
                     "token_lifetime":%d,"skip_consent_for_verifiable_first_party_clients":true}"""
                    .formatted(API, ACCESS_TOKEN_LIFETIME));
            // Third party: the consent page is part of the run.
            JsonNode client = server.createClient("""
                    {"name":"openid-client RP","app_type":"regular_web","is_first_party":false,"callbacks":["%s"],
                     "grant_types":["authorization_code","implicit","refresh_token"]}"""
                    .formatted(CALLBACK));
            TestUsers.create(server, "rp-user@example.com");
            Map<String, String> environment = NodePeers.codeFlowEnvironment(client, CALLBACK, API,
                    "rp-user@example.com", ACCESS_TOKEN_LIFETIME, control);
            environment.put("ISSUER", server.issuer());
            NodePeers.Result result = NodePeers.run("openid-client-flows.mjs", environment, 120);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("\"flow\":\"code+pkce (opaque)\"")
                    .contains("\"flow\":\"code+pkce (JWT for an API)\",\"ok\":true")
                    .contains("\"jwtAccessToken\":true")
                    .contains("\"flow\":\"implicit (id_token)\"")
                    .contains("\"flow\":\"hybrid (code id_token, form_post)\"")
                    .contains("{\"flow\":\"refresh, introspect, revoke\",\"ok\":true,\"expiredActive\":false,"
                            + "\"renewedActive\":true,\"revokedActive\":false,\"refusal\":\"invalid_grant\"");
        }
    }
}
