package dev.latchkey.server.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The key ring as validators see it through the JWKS, across restarts and rotations. */
class SigningKeyRingTest {

    @Test
    void jwksPublishesCurrentAndNextWithKidUseAlgAndCaching() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> response = server.get(".well-known/jwks.json");
            assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v ->
                    assertThat(v).contains("max-age="));
            JWKSet jwks = JWKSet.parse(response.body());
            List<JWK> rs256 = jwks.getKeys().stream().filter(k -> "RS256".equals(k.getAlgorithm().getName())).toList();
            assertThat(rs256).hasSize(2);
            for (JWK key : jwks.getKeys()) {
                assertThat(key.getKeyID()).isNotBlank();
                assertThat(key.getKeyUse().identifier()).isEqualTo("sig");
                assertThat(key.isPrivate()).isFalse();
                assertThat(key.getX509CertChain()).isNotEmpty();
            }
        }
    }

    @Test
    void aRestartKeepsTheSameKeys() throws Exception {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String first;
        Path[] dataDir = new Path[1];
        try (TestServer server = TestServer.start(s -> withDatabase(s, url))) {
            first = server.get(".well-known/jwks.json").body();
            dataDir[0] = server.dataDir();
        }
        try (TestServer server = TestServer.start(s -> withDatabase(s, url))) {
            assertThat(JWKSet.parse(server.get(".well-known/jwks.json").body()).toPublicJWKSet().getKeys())
                    .isEqualTo(JWKSet.parse(first).getKeys());
        }
    }

    @Test
    void rotationPromotesNextAndKeepsPreviousUntilRevoked() throws Exception {
        try (TestServer server = TestServer.start()) {
            String before = kidOf(token(server));
            JsonNode keys = json(server.management("GET", "api/v2/keys/signing", null));
            String next = null;
            for (JsonNode key : keys) {
                if (key.get("next").asBoolean()) {
                    next = key.get("kid").asText();
                }
            }
            JsonNode rotated = json(server.management("POST", "api/v2/keys/signing/rotate", null));
            // Auth0: next becomes current, current becomes previous.
            assertThat(rotated.get("kid").asText()).isEqualTo(next);
            assertThat(rotated.get("cert").asText()).startsWith("-----BEGIN CERTIFICATE-----");
            String after = kidOf(token(server));
            assertThat(after).isEqualTo(next).isNotEqualTo(before);
            JWKSet jwks = JWKSet.parse(server.get(".well-known/jwks.json").body());
            assertThat(jwks.getKeyByKeyId(before)).as("previous key still published").isNotNull();

            // Only a previous key can be revoked; then it leaves the JWKS.
            assertThat(server.management("PUT", "api/v2/keys/signing/" + after + "/revoke", null).statusCode())
                    .isEqualTo(400);
            assertThat(server.management("PUT", "api/v2/keys/signing/" + before + "/revoke", null).statusCode())
                    .isEqualTo(200);
            assertThat(JWKSet.parse(server.get(".well-known/jwks.json").body()).getKeyByKeyId(before)).isNull();
            // Tokens signed by a revoked key stop working at once (the cached one was signed by it).
            assertThat(server.management("GET", "api/v2/keys/signing", null).statusCode()).isEqualTo(401);
            assertThat(server.send(java.net.http.HttpRequest.newBuilder(server.uri("api/v2/keys/signing/unknown"))
                    .header("Authorization", "Bearer " + token(server))).statusCode()).isEqualTo(404);
        }
    }

    private static String token(TestServer server) {
        return json(server.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + server.bootstrapClientId() + "&client_secret=" + server.bootstrapClientSecret()
                + "&audience=" + server.managementAudience())).get("access_token").asText();
    }

    private static String kidOf(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private static dev.latchkey.server.config.Settings withDatabase(dev.latchkey.server.config.Settings s, String url) {
        return new dev.latchkey.server.config.Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), url, null, null,
                s.masterKey(), null, null, null, null, List.of(), null);
    }
}
