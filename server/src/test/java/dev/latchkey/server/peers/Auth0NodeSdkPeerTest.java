package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's Node SDK (npm {@code auth0} 4.37.1) {@code AuthenticationClient} against the server, which
 * serves TLS itself here because the SDK only speaks {@code https://<domain>}: after a code flow,
 * {@code oauth.refreshTokenGrant} once the access token has expired on the server's moved clock
 * (RFC 6749 §6) and {@code oauth.revokeRefreshToken} (RFC 7009 §2, Auth0 §8.2), after which the
 * refresh token is refused.
 */
class Auth0NodeSdkPeerTest {

    static final String CALLBACK = "https://node-app.example.com/callback";
    static final String API = "https://node-orders.example/api";
    static final int ACCESS_TOKEN_LIFETIME = 600;

    @TempDir
    Path dir;

    @Test
    void authenticationClientRefreshesAndRevokesARefreshToken() throws Exception {
        NodePeers.require("auth0");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        MovableClock clock = MovableClock.startingNow();
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key), clock);
             ClockControl control = ClockControl.serve(clock)) {
            // Auth0 §4.2: refresh tokens only where the API allows offline access.
            server.createApi("""
                    {"identifier":"%s","name":"Node orders","allow_offline_access":true,"token_lifetime":%d,
                     "skip_consent_for_verifiable_first_party_clients":true}""".formatted(API, ACCESS_TOKEN_LIFETIME));
            // A regular web application: confidential, non-rotating refresh tokens by default.
            JsonNode client = server.createClient("""
                    {"name":"Node web app","app_type":"regular_web","callbacks":["%s"]}""".formatted(CALLBACK));
            TestUsers.create(server, "node-user@example.com");

            Map<String, String> environment = NodePeers.codeFlowEnvironment(client, CALLBACK, API,
                    "node-user@example.com", ACCESS_TOKEN_LIFETIME, control);
            // The SDK calls https://<DOMAIN>; node trusts the server's certificate through NODE_EXTRA_CA_CERTS.
            environment.put("DOMAIN", "localhost:" + server.latchkey().port());
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            NodePeers.Result result = NodePeers.run("auth0-node-refresh.mjs", environment, 120);

            assertThat(result.exitCode()).as(result.output()).isZero();
            // RFC 7009 §2.2: revocation answers 200; the revoked token is then refused with
            // invalid_grant (403, as Auth0 answers an invalid refresh token).
            assertThat(result.output()).contains("{\"expiredStatus\":401,\"refreshed\":true,\"revokeStatus\":200,"
                    + "\"refusal\":\"invalid_grant\",\"refusalStatus\":403}");
        }
    }
}
