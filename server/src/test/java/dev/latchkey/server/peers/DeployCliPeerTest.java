package dev.latchkey.server.peers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.SelfSignedCertificate;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.testing.NodePeers;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth0-deploy-cli 8.x (npm) moves a tenant between two Latchkey servers as it moves one between Auth0
 * tenants: the export of a server holding APIs, applications, client grants, roles with permissions,
 * connections and tenant settings, imported into a fresh server, exports again to the same YAML. Both
 * servers serve TLS because the tool only speaks {@code https://<domain>}.
 */
class DeployCliPeerTest {

    private static final String API = "https://health.example/api";

    @TempDir
    Path dir;

    @Test
    void aTenantExportedImportedAndExportedAgainIsTheSame() throws Exception {
        NodePeers.require("auth0-deploy-cli");
        SelfSignedCertificate certificate = SelfSignedCertificate.generate();
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer source = TestServer.start(s -> TestSettings.withTls(s, cert, key));
             TestServer target = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            populate(source);

            Map<String, String> environment = new HashMap<>();
            environment.put("NODE_EXTRA_CA_CERTS", cert.toString());
            deployClient(environment, "SOURCE", source);
            deployClient(environment, "TARGET", target);
            NodePeers.Result result = NodePeers.run("deploy-cli-roundtrip.mjs", environment, 300);

            assertThat(result.exitCode()).as(result.output()).isZero();
            String json = result.output().substring(result.output().lastIndexOf("\n{\"first\"") + 1);
            JsonNode exports = TestServer.JSON.readTree(json);
            String first = exports.path("first").asText();
            assertThat(first).contains("name: Health API", "read:patients", "name: doctor", "name: Web app",
                    "friendly_name: Clinic");
            assertThat(exports.path("second").asText()).isEqualTo(first);
        }
    }

    private static void populate(TestServer server) {
        server.createApi("""
                {"identifier":"%s","name":"Health API","enforce_policies":true,"token_dialect":"access_token_authz",
                 "allow_offline_access":true,"token_lifetime":3600,
                 "scopes":[{"value":"read:patients","description":"Read patient records"},
                           {"value":"read:admin","description":"Read admin data"}]}""".formatted(API));
        JsonNode web = server.createClient("""
                {"name":"Web app","app_type":"regular_web","callbacks":["https://app.example/callback"],
                 "allowed_logout_urls":["https://app.example/"],"description":"The clinic's web app"}""");
        JsonNode service = server.createClient("""
                {"name":"Billing service","app_type":"non_interactive"}""");
        server.grant(service.path("client_id").asText(), API, "read:patients");
        JsonNode role = TestServer.json(ok(server.management("POST", "api/v2/roles",
                "{\"name\":\"doctor\",\"description\":\"Reads patient records\"}")));
        ok(server.management("POST", "api/v2/roles/" + role.path("id").asText() + "/permissions", """
                {"permissions":[{"resource_server_identifier":"%s","permission_name":"read:patients"}]}"""
                .formatted(API)));
        ok(server.management("PATCH", "api/v2/tenants/settings",
                "{\"friendly_name\":\"Clinic\",\"support_email\":\"help@clinic.example\"}"));
        assertThat(web.path("client_id").asText()).isNotBlank();
    }

    private static HttpResponse<String> ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 204);
        return response;
    }

    private static void deployClient(Map<String, String> environment, String prefix, TestServer server) {
        environment.put(prefix + "_DOMAIN", "localhost:" + server.latchkey().port());
        environment.put(prefix + "_CLIENT_ID", server.bootstrapClientId());
        environment.put(prefix + "_CLIENT_SECRET", server.bootstrapClientSecret());
    }
}
