package dev.latchkey.server.store;

import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL refuses NUL in text (SQLState 22021). Whatever the door it came through, a request
 * holding one gets a spec-shaped 400 (or the 404 of an unknown id), never a 500.
 */
class NulBytesOnPostgresTest {

    @Test
    void nulBytesAreTheCallersErrorEverywhere() {
        try (PostgresSchema schema = PostgresSchema.create();
             TestServer server = TestServer.start(s -> TestSettings.withDatabase(s, schema.url(),
                     PostgresSchema.USER))) {
            HttpResponse<String> token = server.postForm("oauth/token",
                    "grant_type=client_credentials&client_id=%00&client_secret=x&audience=a");
            assertThat(token.statusCode()).isEqualTo(400);
            assertThat(TestServer.json(token).path("error").asText()).isEqualTo("invalid_request");

            HttpResponse<String> named = server.management("POST", "api/v2/clients",
                    "{\"name\":\"bad\\u0000name\",\"app_type\":\"non_interactive\"}");
            assertThat(named.statusCode()).as(named.body()).isEqualTo(400);
            assertThat(TestServer.json(named).path("statusCode").asInt()).isEqualTo(400);

            HttpResponse<String> byId = server.management("GET", "api/v2/clients/%00", null);
            assertThat(byId.statusCode()).isIn(400, 404);
            HttpResponse<String> search = server.management("GET", "api/v2/users?q=name%3A%22a%00b%22", null);
            assertThat(search.statusCode()).isIn(200, 400);
            HttpResponse<String> authorize = server.get("authorize?client_id=%00&response_type=code");
            assertThat(authorize.statusCode()).isEqualTo(400);
        }
    }
}
