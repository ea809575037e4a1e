package dev.latchkey.server.management;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Users search v3 on the embedded H2 database. */
class UsersSearchApiTest extends UsersSearchContract {

    private final TestServer server = TestServer.start();

    @Override
    protected TestServer server() {
        return server;
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void metadataFieldsNeedPostgresAndSaySo() {
        // H2 has no JSON operators: a metadata search is a clear 400, never a wrong answer or a 500.
        HttpResponse<String> response = get("app_metadata.plan:gold", "");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("message").asText()).contains("PostgreSQL");
    }
}
