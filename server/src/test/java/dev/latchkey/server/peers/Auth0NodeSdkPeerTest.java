package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.testing.ClockControl;
import dev.latchkey.server.testing.ManagementCalls;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import dev.latchkey.server.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's Node SDK (npm {@code auth0} 4.37.1) {@code AuthenticationClient} against the server, which
 * serves TLS itself here because the SDK only speaks {@code https://<domain>}: after a code flow,
 * {@code oauth.refreshTokenGrant} once the access token has expired on the server's moved clock
 * (RFC 6749 §6) and {@code oauth.revokeRefreshToken} (RFC 7009 §2, Auth0 §8.2), after which the
 * refresh token is refused; and {@code oauth.passwordGrant} (RFC 6749 §4.3, Auth0 §1.4) with a realm,
 * without one, and with a wrong password.
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

    @Test
    void authenticationClientLogsAUserInWithThePasswordGrants() throws Exception {
        NodePeers.require("auth0");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            server.createApi("""
                    {"identifier":"%s","name":"Node orders","allow_offline_access":true,
                     "scopes":[{"value":"read:orders"}]}""".formatted(API));
            JsonNode client = server.createClient("""
                    {"name":"Node backend","app_type":"regular_web","is_token_endpoint_ip_header_trusted":true,
                     "grant_types":["password","http://auth0.com/oauth/grant-type/password-realm","refresh_token"]}""");
            // Auth0 §1.4: the plain password grant signs users in through the tenant's default directory.
            server.management("PATCH", "api/v2/tenants/settings",
                    "{\"default_directory\":\"Username-Password-Authentication\"}");
            User user = TestUsers.create(server, "node-password@example.com");

            Map<String, String> environment = new HashMap<>();
            environment.put("DOMAIN", "localhost:" + server.latchkey().port());
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            environment.put("CLIENT_ID", client.path("client_id").asText());
            environment.put("CLIENT_SECRET", client.path("client_secret").asText());
            environment.put("EMAIL", "node-password@example.com");
            environment.put("PASSWORD", TestUsers.PASSWORD);
            environment.put("REALM", "Username-Password-Authentication");
            environment.put("AUDIENCE", API);
            environment.put("END_USER_IP", "203.0.113.77");
            NodePeers.Result result = NodePeers.run("auth0-node-password.mjs", environment, 120);

            assertThat(result.exitCode()).as(result.output()).isZero();
            // Auth0 §1.4: every standard OIDC scope for openid alone and every API scope when none is asked
            // for; a wrong password is 403 invalid_grant "Wrong email or password.".
            assertThat(result.output()).contains("{\"realmScope\":\"openid email offline_access read:orders\","
                    + "\"plainScope\":\"openid profile email address phone read:orders\","
                    + "\"refusal\":\"invalid_grant\",\"refusalStatus\":403,"
                    + "\"description\":\"Wrong email or password.\"}");
            // The trusted client's auth0-forwarded-for is the address counted and logged.
            String query = "api/v2/logs?q=" + ManagementCalls.encode("type:sepft AND user_id:\"" + user.userId() + "\"");
            JsonNode exchanges = ManagementCalls.eventually(() -> TestServer.json(server.management("GET", query, null)),
                    logs -> logs.size() == 2);
            assertThat(exchanges.findValuesAsText("ip")).containsExactly("203.0.113.77", "203.0.113.77");
        }
    }
}
