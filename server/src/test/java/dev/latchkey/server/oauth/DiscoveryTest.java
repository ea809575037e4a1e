package dev.latchkey.server.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

class DiscoveryTest {

    @Test
    void advertisesTheRequiredMembersAndWhatIsImplemented() throws Exception {
        try (TestServer server = TestServer.start()) {
            JsonNode doc = json(server.get(".well-known/openid-configuration"));
            // OIDC Discovery 1.0 §3 REQUIRED members; Auth0's issuer keeps its trailing slash.
            assertThat(doc.get("issuer").asText()).isEqualTo(server.issuer()).endsWith("/");
            assertThat(doc.get("jwks_uri").asText()).isEqualTo(server.issuer() + ".well-known/jwks.json");
            assertThat(doc.get("token_endpoint").asText()).isEqualTo(server.issuer() + "oauth/token");
            assertThat(doc.get("subject_types_supported").get(0).asText()).isEqualTo("public");
            assertThat(doc.get("id_token_signing_alg_values_supported").get(0).asText()).isEqualTo("RS256");
            assertThat(doc.get("grant_types_supported").findValuesAsText("")).isEmpty();
            assertThat(doc.get("grant_types_supported").toString()).contains("client_credentials", "\"password\"",
                    "http://auth0.com/oauth/grant-type/password-realm");
            // Nimbus, which validates OIDC metadata strictly, accepts the document.
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(server.get(".well-known/openid-configuration").body());
            assertThat(metadata.getIssuer().getValue()).isEqualTo(server.issuer());
            // RFC 8414 §3: the same metadata at the OAuth well-known path.
            assertThat(json(server.get(".well-known/oauth-authorization-server"))).isEqualTo(doc);
        }
    }
}
