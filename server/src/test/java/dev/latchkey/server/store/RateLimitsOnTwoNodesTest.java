package dev.latchkey.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.ratelimit.RateLimits;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL schema share the limits an attacker could otherwise multiply by spreading
 * requests over the nodes: failed client authentications per client_id and Management API calls per token.
 */
class RateLimitsOnTwoNodesTest {

    private static final String ISSUER = "https://auth.cluster.example/";
    private static final String BOOTSTRAP_ID = "clusterBootstrapClient0000000002";
    private static final String BOOTSTRAP_SECRET = "cluster-bootstrap-secret-with-more-than-32-characters";
    private static final RateLimits LIMITS = RateLimits.of(null, null, "4,1/h", "4,1/h");

    @Test
    void guessesSpreadOverTwoNodesSpendOneBucket() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            CompletableFuture<TestServer> startingA = CompletableFuture.supplyAsync(() -> node(schema));
            CompletableFuture<TestServer> startingB = CompletableFuture.supplyAsync(() -> node(schema));
            try (TestServer a = startingA.get(60, TimeUnit.SECONDS); TestServer b = startingB.get(60, TimeUnit.SECONDS)) {
                JsonNode victim = a.createClient("{\"name\":\"victim\",\"app_type\":\"non_interactive\"}");
                String victimId = victim.path("client_id").asText();

                // Four failures allowed in all, two on each node (RFC 6749 §5.2 invalid_client).
                assertThat(token(a, victimId, "guess-1").statusCode()).isEqualTo(401);
                assertThat(token(b, victimId, "guess-2").statusCode()).isEqualTo(401);
                assertThat(token(a, victimId, "guess-3").statusCode()).isEqualTo(401);
                assertThat(token(b, victimId, "guess-4").statusCode()).isEqualTo(401);

                HttpResponse<String> onB = token(b, victimId, "guess-5");
                assertThat(onB.statusCode()).isEqualTo(429);
                assertThat(onB.headers().firstValue("Retry-After")).isPresent();
                assertThat(token(a, victimId, "guess-6").statusCode()).isEqualTo(429);
            }
        }
    }

    @Test
    void oneManagementTokenHasOneBucketOnEveryNode() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            CompletableFuture<TestServer> startingA = CompletableFuture.supplyAsync(() -> node(schema));
            CompletableFuture<TestServer> startingB = CompletableFuture.supplyAsync(() -> node(schema));
            try (TestServer a = startingA.get(60, TimeUnit.SECONDS); TestServer b = startingB.get(60, TimeUnit.SECONDS)) {
                String token = a.managementToken();
                assertThat(call(a, token).headers().firstValue("x-ratelimit-remaining")).contains("3");
                assertThat(call(b, token).headers().firstValue("x-ratelimit-remaining")).contains("2");
                assertThat(call(a, token).headers().firstValue("x-ratelimit-remaining")).contains("1");
                assertThat(call(b, token).statusCode()).isEqualTo(200);

                HttpResponse<String> spent = call(a, token);
                assertThat(spent.statusCode()).isEqualTo(429);
                assertThat(TestServer.json(spent).path("errorCode").asText()).isEqualTo("too_many_requests");
                assertThat(call(b, token).statusCode()).isEqualTo(429);
                // Another token has its own bucket.
                assertThat(call(b, b.managementToken()).statusCode()).isEqualTo(200);
            }
        }
    }

    private static TestServer node(PostgresSchema schema) {
        return TestServer.start(s -> TestSettings.withRateLimits(TestSettings.withBootstrapClient(
                TestSettings.withIssuer(TestSettings.withDatabase(s, schema.url(), PostgresSchema.USER), ISSUER),
                BOOTSTRAP_ID, BOOTSTRAP_SECRET), LIMITS));
    }

    private static HttpResponse<String> token(TestServer server, String clientId, String secret) {
        return server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=" + secret);
    }

    private static HttpResponse<String> call(TestServer server, String token) {
        return server.send(HttpRequest.newBuilder(server.uri("api/v2/clients")).header("Authorization", "Bearer " + token));
    }
}
