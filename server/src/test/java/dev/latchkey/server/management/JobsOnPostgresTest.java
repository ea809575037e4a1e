package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.store.PostgresSchema;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk jobs on PostgreSQL: the batched import (upsert included), its per-user errors, and an export
 * whose file is kept in chunks of bytea and downloaded through its signed link.
 */
class JobsOnPostgresTest {

    @Test
    void importsUpsertsReportsAndExportsOnPostgres() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create();
             TestServer server = TestServer.start(s -> new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(),
                     schema.url(), PostgresSchema.USER, null, s.masterKey(), s.bootstrapClientId(),
                     s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), s.trustedProxies(), s.metricsToken()))) {
            String connectionId = null;
            for (JsonNode connection : json(server.management("GET", "api/v2/connections", null))) {
                if (connection.path("name").asText().equals("Username-Password-Authentication")) {
                    connectionId = connection.path("id").asText();
                }
            }
            StringBuilder file = new StringBuilder("[");
            for (int i = 0; i < 1200; i++) {
                file.append("{\"email\":\"pg").append(i).append("@example.com\",\"app_metadata\":{\"n\":").append(i)
                        .append("}},");
            }
            file.append("{\"email\":\"pg1@example.com\"},{\"email\":\"bad\",\"name\":\"x\"}]");
            JsonNode job = JobsApiTest.finished(server, json(JobsApiTest.upload(server, file.toString(),
                    Map.of("connection_id", connectionId))).path("id").asText());
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("completed");
            // Three batches of 500; pg1 twice in the first batch; "bad" is not an email.
            assertThat(job.path("summary").toString())
                    .isEqualTo("{\"failed\":2,\"updated\":0,\"inserted\":1200,\"total\":1202}");
            assertThat(server.management("GET", "api/v2/jobs/" + job.path("id").asText() + "/errors", null).body())
                    .contains("DUPLICATED_USER", "format email");

            JsonNode upserted = JobsApiTest.finished(server, json(JobsApiTest.upload(server,
                    "[{\"email\":\"pg5@example.com\",\"app_metadata\":{\"n\":-5}},{\"email\":\"pg-new@example.com\"}]",
                    Map.of("connection_id", connectionId, "upsert", "true"))).path("id").asText());
            assertThat(upserted.path("summary").toString())
                    .isEqualTo("{\"failed\":0,\"updated\":1,\"inserted\":1,\"total\":2}");
            JsonNode found = json(server.management("GET", "api/v2/users?q="
                    + dev.latchkey.server.testing.ManagementCalls.encode("app_metadata.n:\"-5\""), null));
            assertThat(found).hasSize(1);

            JsonNode export = JobsApiTest.finished(server, json(server.management("POST", "api/v2/jobs/users-exports",
                    "{\"format\":\"json\",\"fields\":[{\"name\":\"email\"}]}")).path("id").asText());
            HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(export.path("location").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(download.statusCode()).isEqualTo(200);
            String ndjson;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(download.body()))) {
                ndjson = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(ndjson.lines().count()).isEqualTo(1201);
            assertThat(ndjson).contains("{\"email\":\"pg-new@example.com\"}");
        }
    }
}
