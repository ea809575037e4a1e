package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The certified relying party openid-client (npm, 6.8.9) against the running server: code + PKCE
 * (opaque and JWT access tokens), implicit {@code id_token}, hybrid {@code code id_token} with
 * form_post (OIDC Core §3.1-§3.3, Form Post Response Mode), and /userinfo (OIDC Core §5.3).
 */
class OpenIdClientPeerTest {

    static final String CALLBACK = "https://rp.example.com/callback";
    static final String API = "https://peer.example.com/api";

    @Test
    void openidClientRunsCodeImplicitHybridAndUserinfo() {
        NodePeers.require("openid-client");
        try (TestServer server = TestServer.start()) {
            server.createApi("""
                    {"identifier":"%s","name":"Peer API","scopes":[{"value":"read:peer"}],
                     "skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
            // Third party: the consent page is part of the run.
            JsonNode client = server.createClient("""
                    {"name":"openid-client RP","app_type":"regular_web","is_first_party":false,"callbacks":["%s"],
                     "grant_types":["authorization_code","implicit"]}"""
                    .formatted(CALLBACK));
            TestUsers.create(server, "rp-user@example.com");
            NodePeers.Result result = NodePeers.run("openid-client-flows.mjs", Map.of(
                    "ISSUER", server.issuer(),
                    "CLIENT_ID", client.path("client_id").asText(),
                    "CLIENT_SECRET", client.path("client_secret").asText(),
                    "CALLBACK", CALLBACK,
                    "AUDIENCE", API,
                    "EMAIL", "rp-user@example.com",
                    "PASSWORD", TestUsers.PASSWORD), 120);
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("\"flow\":\"code+pkce (opaque)\"")
                    .contains("\"flow\":\"code+pkce (JWT for an API)\",\"ok\":true")
                    .contains("\"jwtAccessToken\":true")
                    .contains("\"flow\":\"implicit (id_token)\"")
                    .contains("\"flow\":\"hybrid (code id_token, form_post)\"");
        }
    }
}
