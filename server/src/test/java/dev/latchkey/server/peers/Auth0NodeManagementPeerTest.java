package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestUsers;
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
 * paged with {@code users.getAll({q, search_engine: 'v3', include_totals})}; roles and permissions
 * ({@code roles.create}, {@code roles.addPermissions}, {@code users.assignRoles}, {@code users.getPermissions},
 * {@code roles.getUsers}, ...).
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

    /**
     * Auth0 RBAC (§2.2) through the SDK: roles holding an API's permissions, given to users from either
     * side, every list paged exactly (a role's users by offset and by checkpoint), and taken away again.
     */
    @Test
    void managementClientManagesRolesAndPermissions() throws Exception {
        NodePeers.require("auth0");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            String api = "https://health.example/api";
            server.createApi("""
                    {"identifier":"%s","name":"Health","enforce_policies":true,"token_dialect":"access_token_authz",
                     "scopes":[{"value":"read:patients","description":"Read patient records"},
                     {"value":"write:patients"},{"value":"read:admin"}]}""".formatted(api));
            StringBuilder users = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                users.append(i == 0 ? "" : ",").append(TestUsers.create(server, "node-rbac" + i + "@example.com")
                        .userId());
            }
            Map<String, String> environment = new HashMap<>();
            environment.put("DOMAIN", "localhost:" + server.latchkey().port());
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            environment.put("TOKEN", server.managementToken());
            environment.put("API", api);
            environment.put("USERS", users.toString());
            NodePeers.Result result = NodePeers.run("auth0-node-roles.mjs", environment, 60);

            assertThat(result.exitCode()).as(result.output()).isZero();
            // A user's roles by creation and permissions by API then name, each once whatever gave it;
            // Auth0's shapes; the doctor role's four users seen alike by offset and by checkpoint; what
            // was taken away is gone; an unknown role is Auth0's 404.
            assertThat(result.output()).contains("{\"userRoles\":[\"Doctor\",\"Nurse\",\"Admin\"],"
                    + "\"userPermissions\":[\"read:admin\",\"read:patients\",\"write:patients\"],"
                    + "\"permissionShape\":[\"description\",\"permission_name\",\"resource_server_identifier\","
                    + "\"resource_server_name\"],"
                    + "\"rolePermissions\":[\"read:patients\",\"write:patients\"],\"roleUsers\":4,"
                    + "\"roleUserShape\":[\"email\",\"name\",\"picture\",\"user_id\"],\"checkpointed\":true,"
                    + "\"kept\":{\"roles\":[\"Doctor\"],\"permissions\":[\"read:patients\"]},"
                    + "\"refused\":{\"statusCode\":404,\"errorCode\":\"inexistent_role\"}}");
        }
    }

    /**
     * Auth0 account linking through the SDK: {@code users.link} with the secondary's provider and user_id answers
     * the primary's identities in Auth0's shape, the secondary is gone, {@code users.unlink} answers what is left
     * and makes the secondary a user again; a user linked to itself is refused.
     */
    @Test
    void managementClientLinksAndUnlinksAccounts() throws Exception {
        NodePeers.require("auth0");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            String primary = TestUsers.create(server, "node-primary@example.com").userId();
            String secondary = TestUsers.create(server, "node-secondary@example.com").userId();
            Map<String, String> environment = new HashMap<>();
            environment.put("DOMAIN", "localhost:" + server.latchkey().port());
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            environment.put("TOKEN", server.managementToken());
            environment.put("PRIMARY", primary);
            environment.put("SECONDARY", secondary);
            NodePeers.Result result = NodePeers.run("auth0-node-linking.mjs", environment, 60);

            assertThat(result.exitCode()).as(result.output()).isZero();
            String primaryId = primary.substring("auth0|".length());
            String secondaryId = secondary.substring("auth0|".length());
            assertThat(result.output()).contains("{\"linked\":[\"auth0|" + primaryId + "\",\"auth0|" + secondaryId
                    + "\"],\"identityShape\":[\"connection\",\"isSocial\",\"profileData\",\"provider\",\"user_id\"],"
                    + "\"primaryIdentities\":2,\"gone\":404,\"left\":[\"" + primaryId + "\"],\"back\":\"" + secondary
                    + "\",\"refused\":{\"statusCode\":400,\"errorCode\":\"invalid_body\"}}");
        }
    }
}
