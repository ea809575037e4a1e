package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** What the server ensures about the Management API at every start. */
class ManagementBootstrapTest {

    @Test
    void anIssuerChangeMovesManagementGrantsToTheNewAudience() {
        String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String clientId;
        String oldAudience;
        try (TestServer first = TestServer.start(s -> onDatabase(s, url))) {
            JsonNode client = first.createClient("{\"name\":\"ops\",\"app_type\":\"non_interactive\"}");
            clientId = client.get("client_id").asText();
            first.grant(clientId, first.managementAudience(), "read:clients");
            oldAudience = first.managementAudience();
        }
        // Another port: another issuer, so another Management API audience.
        try (TestServer second = TestServer.start(s -> onDatabase(s, url))) {
            assertThat(second.managementAudience()).isNotEqualTo(oldAudience);
            JsonNode grants = json(second.management("GET", "api/v2/client-grants?client_id=" + clientId, null));
            assertThat(grants).hasSize(1);
            assertThat(grants.get(0).get("audience").asText()).isEqualTo(second.managementAudience());
            assertThat(json(second.management("GET", "api/v2/client-grants?audience=" + oldAudience, null))).isEmpty();
        }
    }

    private static Settings onDatabase(Settings s, String url) {
        return new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), url, null, null, s.masterKey(),
                null, null, null, null, List.of(), null);
    }
}
