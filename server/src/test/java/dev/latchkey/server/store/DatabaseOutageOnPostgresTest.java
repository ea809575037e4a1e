package dev.latchkey.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TcpProxy;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database outage answers fast and retryable (503 with Retry-After, in each endpoint's error shape),
 * never a 500 or a hang, and the server recovers by itself when the database returns. The outage is one
 * server's only: its connections go through a proxy that the test cuts, while PostgreSQL keeps serving
 * everyone else.
 */
class DatabaseOutageOnPostgresTest {

    /** About a second of Hikari's wait for a connection, plus slack for a busy machine. */
    private static final Duration PROMPT = Duration.ofMillis(3_000);

    @Test
    void anOutageAnswers503PromptlyAndTheServerRecovers() {
        PostgresSchema.requireReachable();
        try (PostgresSchema schema = PostgresSchema.create();
             TcpProxy proxy = TcpProxy.to(5432);
             TestServer server = TestServer.start(s -> TestSettings.withDatabase(s,
                     "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema=" + schema.name(),
                     PostgresSchema.USER))) {
            String clientCredentials = "grant_type=client_credentials&client_id=" + server.bootstrapClientId()
                    + "&client_secret=" + server.bootstrapClientSecret() + "&audience=" + server.managementAudience();
            assertThat(server.management("GET", "api/v2/users", null).statusCode()).isEqualTo(200);
            JsonNode client = server.createClient("{\"name\":\"web\",\"app_type\":\"regular_web\","
                    + "\"callbacks\":[\"https://app.example.com/cb\"],"
                    + "\"grant_types\":[\"authorization_code\",\"refresh_token\"]}");

            proxy.cut();

            // Client credentials need no row (clients are held in memory); a refresh token is a row.
            HttpResponse<String> token = timed(() -> server.postForm("oauth/token", "grant_type=refresh_token"
                    + "&refresh_token=unknown&client_id=" + client.path("client_id").asText()
                    + "&client_secret=" + client.path("client_secret").asText()));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
            assertThat(token.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode oauthError = TestServer.json(token);
            assertThat(oauthError.path("error").asText()).isEqualTo("temporarily_unavailable");
            assertThat(oauthError.path("error_description").asText()).isNotBlank();

            HttpResponse<String> users = timed(() -> server.management("POST", "api/v2/users",
                    "{\"connection\":\"Username-Password-Authentication\",\"email\":\"outage@example.com\","
                            + "\"password\":\"Correct-Horse-9-Battery!\"}"));
            assertThat(users.statusCode()).as(users.body()).isEqualTo(503);
            assertThat(users.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode managementError = TestServer.json(users);
            assertThat(managementError.path("statusCode").asInt()).isEqualTo(503);
            assertThat(managementError.path("error").asText()).isEqualTo("Service Unavailable");
            assertThat(managementError.path("errorCode").asText()).isEqualTo("temporarily_unavailable");
            assertThat(managementError.path("message").asText()).isNotBlank();

            // Eight requests naming the same client that no cache holds: the cache loads one key at a time, so
            // without failing fast each would wait the pool's whole timeout after the one before it.
            String unseen = "grant_type=client_credentials&client_id=never-looked-up&client_secret=x&audience="
                    + server.managementAudience();
            List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                for (int i = 0; i < 8; i++) {
                    queued.add(CompletableFuture.supplyAsync(() -> timed(() -> server.postForm("oauth/token", unseen)),
                            callers));
                }
                for (CompletableFuture<HttpResponse<String>> answer : queued) {
                    assertThat(answer.join().statusCode()).isEqualTo(503);
                }
            } finally {
                callers.shutdownNow();
            }

            HttpResponse<String> ready = timed(() -> server.get("health/ready"));
            assertThat(ready.statusCode()).isEqualTo(503);

            proxy.restore();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.get("health/ready").statusCode() != 200) {
                assertThat(System.nanoTime()).as("ready again without a restart").isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(server.postForm("oauth/token", clientCredentials).statusCode()).isEqualTo(200);
            HttpResponse<String> created = server.management("POST", "api/v2/users",
                    "{\"connection\":\"Username-Password-Authentication\",\"email\":\"after@example.com\","
                            + "\"password\":\"Correct-Horse-9-Battery!\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private static HttpResponse<String> timed(Supplier<HttpResponse<String>> request) {
        long started = System.nanoTime();
        HttpResponse<String> response = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered promptly").isLessThan(PROMPT);
        return response;
    }
}
