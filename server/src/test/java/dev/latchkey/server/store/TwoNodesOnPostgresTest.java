package dev.latchkey.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Latchkey nodes on one PostgreSQL schema, as a cluster behind a load balancer runs them
 * (same issuer, master key and bootstrap client): started at the same moment on an empty
 * schema they make one key ring, publish the same JWKS, accept each other's tokens, and a key
 * rotation on one reaches the other within the key-ring reload interval.
 */
class TwoNodesOnPostgresTest {

    private static final String ISSUER = "https://auth.cluster.example/";
    private static final String BOOTSTRAP_ID = "clusterBootstrapClient0000000001";
    private static final String BOOTSTRAP_SECRET = "cluster-bootstrap-secret-with-more-than-32-characters";
    private static final Duration RELOAD = Duration.ofMillis(200);

    @Test
    void twoNodesShareKeysTokensAndRotations() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create()) {
            CompletableFuture<TestServer> startingA = CompletableFuture.supplyAsync(() -> node(schema));
            CompletableFuture<TestServer> startingB = CompletableFuture.supplyAsync(() -> node(schema));
            try (TestServer a = startingA.get(60, TimeUnit.SECONDS); TestServer b = startingB.get(60, TimeUnit.SECONDS)) {
                assertThat(jwks(a)).isEqualTo(jwks(b));
                assertThat(jwks(a).path("keys")).hasSize(4); // current and next, each as RS256 and PS256

                // A token from one node works at the other's Management API (RFC 6750 §2.1).
                assertThat(managementCall(b, managementToken(a)).statusCode()).isEqualTo(200);
                assertThat(managementCall(a, managementToken(b)).statusCode()).isEqualTo(200);

                // What one node registers, the other serves.
                a.createApi("{\"identifier\":\"https://shared.example/api\",\"name\":\"Shared\","
                        + "\"scopes\":[{\"value\":\"read:shared\",\"description\":\"Read\"}]}");
                JsonNode client = a.createClient("{\"name\":\"shared job\",\"app_type\":\"non_interactive\","
                        + "\"grant_types\":[\"client_credentials\"]}");
                a.grant(client.path("client_id").asText(), "https://shared.example/api", "read:shared");
                HttpResponse<String> fromB = b.postForm("oauth/token", "grant_type=client_credentials&client_id="
                        + client.path("client_id").asText() + "&client_secret=" + client.path("client_secret").asText()
                        + "&audience=https://shared.example/api");
                assertThat(fromB.statusCode()).as(fromB.body()).isEqualTo(200);

                // Rotation on A: the next key, already published by both, signs from now on.
                String oldKid = currentKid(a);
                String nextKid = TestServer.json(a.management("GET", "api/v2/keys/signing", null)).findValues("kid")
                        .stream().map(JsonNode::asText).filter(kid -> !kid.equals(oldKid)).findFirst().orElseThrow();
                HttpResponse<String> rotated = a.management("POST", "api/v2/keys/signing/rotate", null);
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
                assertThat(TestServer.json(rotated).path("kid").asText()).isEqualTo(nextKid);

                // B accepts A's tokens under the new key at once: it published that key as "next".
                String afterRotation = managementToken(a);
                assertThat(kidOf(afterRotation)).isEqualTo(nextKid);
                assertThat(managementCall(b, afterRotation).statusCode()).isEqualTo(200);

                // Within the reload interval B signs with the new key and publishes A's new next key.
                waitFor(() -> jwks(b).equals(jwks(a)), "B publishes the rotated JWKS");
                waitFor(() -> kidOf(managementToken(b)).equals(nextKid), "B signs with the new current key");
                assertThat(jwks(b).path("keys")).hasSize(6); // previous, current, next
                assertThat(managementCall(a, managementToken(b)).statusCode()).isEqualTo(200);
            }
        }
    }

    private static TestServer node(PostgresSchema schema) {
        return TestServer.start(s -> TestSettings.withBootstrapClient(
                TestSettings.withIssuer(TestSettings.withDatabase(s, schema.url(), PostgresSchema.USER), ISSUER),
                BOOTSTRAP_ID, BOOTSTRAP_SECRET), RELOAD);
    }

    private static JsonNode jwks(TestServer node) {
        HttpResponse<String> response = node.get(".well-known/jwks.json");
        assertThat(response.statusCode()).isEqualTo(200);
        return TestServer.json(response);
    }

    /** A fresh token (never the cached one), so it is signed with the node's current key. */
    private static String managementToken(TestServer node) {
        HttpResponse<String> response = node.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + BOOTSTRAP_ID + "&client_secret=" + BOOTSTRAP_SECRET + "&audience=" + ISSUER + "api/v2/");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response).path("access_token").asText();
    }

    private static HttpResponse<String> managementCall(TestServer node, String token) {
        return node.send(HttpRequest.newBuilder(node.uri("api/v2/clients")).header("Authorization", "Bearer " + token));
    }

    private static String currentKid(TestServer node) {
        return kidOf(managementToken(node));
    }

    private static String kidOf(String jwt) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(jwt).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + RELOAD.multipliedBy(50).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(RELOAD.toMillis() / 4);
        }
    }
}
