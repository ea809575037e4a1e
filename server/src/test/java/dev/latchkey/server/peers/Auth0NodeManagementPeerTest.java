package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auth0's Node SDK (npm {@code auth0} 4.37.1) {@code ManagementClient} against the server over TLS: an
 * import job ({@code jobs.importUsers}, {@code jobs.get}, {@code jobs.getErrors}) and users search v3
 * paged with {@code users.getAll({q, search_engine: 'v3', include_totals})}.
 */
class Auth0NodeManagementPeerTest {

    @TempDir
    Path dir;

    @Test
    void managementClientImportsUsersAndPagesThroughASearch() throws Exception {
        NodePeers.require("auth0");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            String connectionId = null;
            for (JsonNode connection : TestServer.json(server.management("GET", "api/v2/connections", null))) {
                if (connection.path("name").asText().equals("Username-Password-Authentication")) {
                    connectionId = connection.path("id").asText();
                }
            }
            String tag = "n" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, String> environment = new HashMap<>();
            environment.put("DOMAIN", "localhost:" + server.latchkey().port());
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            environment.put("TOKEN", server.managementToken());
            environment.put("CONNECTION_ID", connectionId);
            environment.put("TAG", tag);
            NodePeers.Result result = NodePeers.run("auth0-node-users-jobs.mjs", environment, 120);

            assertThat(result.exitCode()).as(result.output()).isZero();
            // Auth0 job object: summary counts; the md5 user reported per user, the rest imported; the
            // search pages exactly (5 users, 2 per page, sorted by email).
            assertThat(result.output()).contains("{\"status\":\"completed\",\"summary\":{\"failed\":1,\"updated\":0,"
                    + "\"inserted\":5,\"total\":6},\"errorCodes\":[\"INVALID_FORMAT\"],\"total\":5,\"seen\":5,"
                    + "\"ordered\":true}");
        }
    }
}
