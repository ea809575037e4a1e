package dev.latchkey.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.testing.CodeFlow;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token lifecycle on two nodes of one PostgreSQL: two exchanges of one rotating refresh token at
 * the same moment on different nodes spend it once (RFC 9700 §4.14.2: the second is reuse and
 * revokes the family), and a revocation on one node reaches the other's caches at once, well within
 * their ten-second lifetime.
 */
class RefreshTokensOnTwoNodesTest {

    private static final String API = "https://cluster.example/api";
    private static final String CALLBACK = "https://app.example.com/callback";

    @Test
    void oneExchangeWinsAndRevocationsReachTheOtherNodeAtOnce() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create();
             TestServer a = node(schema, null);
             TestServer b = node(schema, a.issuer())) {
            a.createApi("""
                    {"identifier":"%s","name":"Cluster API","allow_offline_access":true,
                     "skip_consent_for_verifiable_first_party_clients":true}""".formatted(API));
            JsonNode client = a.createClient("""
                    {"name":"Rotating","app_type":"regular_web","callbacks":["%s"],
                     "refresh_token":{"rotation_type":"rotating","expiration_type":"expiring",
                     "infinite_token_lifetime":false,"infinite_idle_token_lifetime":false}}""".formatted(CALLBACK));
            String id = client.path("client_id").asText();
            String secret = client.path("client_secret").asText();

            // Two nodes, one token, the same moment: exactly one exchange succeeds.
            String token = CodeFlow.logInNewUser(a, "race@example.com", id, secret, CALLBACK,
                    "openid offline_access", API).path("refresh_token").asText();
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<HttpResponse<String>> onA = CompletableFuture.supplyAsync(() -> race(a, together, id,
                    secret, token));
            CompletableFuture<HttpResponse<String>> onB = CompletableFuture.supplyAsync(() -> race(b, together, id,
                    secret, token));
            List<HttpResponse<String>> answers = List.of(onA.get(30, TimeUnit.SECONDS), onB.get(30, TimeUnit.SECONDS));
            assertThat(answers.stream().map(HttpResponse::statusCode).sorted()).containsExactly(200, 403);
            // The loser was reuse: the winner's successor is revoked with its family (Auth0 §4.2).
            String successor = answers.stream().filter(r -> r.statusCode() == 200).findFirst().map(TestServer::json)
                    .orElseThrow().path("refresh_token").asText();
            assertThat(refresh(a, id, secret, successor).statusCode()).isEqualTo(403);

            // An opaque token that B has looked up (and cached) dies there as soon as A revokes.
            JsonNode tokens = CodeFlow.logInNewUser(a, "cached@example.com", id, secret, CALLBACK,
                    "openid offline_access", null);
            String opaque = tokens.path("access_token").asText();
            assertThat(userinfo(b, opaque).statusCode()).isEqualTo(200);
            HttpResponse<String> revoked = a.postForm("oauth/revoke", "client_id=" + id + "&client_secret=" + secret
                    + "&token=" + enc(tokens.path("refresh_token").asText()));
            assertThat(revoked.statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (userinfo(b, opaque).statusCode() == 200) {
                assertThat(System.nanoTime()).as("B still honours a token A revoked").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }

    private static HttpResponse<String> race(TestServer node, CyclicBarrier together, String id, String secret,
                                             String token) {
        try {
            together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return refresh(node, id, secret, token);
    }

    private static HttpResponse<String> refresh(TestServer node, String id, String secret, String token) {
        return node.postForm("oauth/token", "grant_type=refresh_token&client_id=" + id + "&client_secret=" + secret
                + "&refresh_token=" + enc(token));
    }

    private static HttpResponse<String> userinfo(TestServer node, String token) {
        return node.send(HttpRequest.newBuilder(node.uri("userinfo")).header("Authorization", "Bearer " + token));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A node on the schema; the second one takes the first's issuer, whose pages the browser visits. */
    private static TestServer node(PostgresSchema schema, String issuer) {
        return TestServer.start(s -> TestSettings.withBootstrapClient(TestSettings.withIssuer(
                        TestSettings.withDatabase(s, schema.url(), PostgresSchema.USER), issuer == null ? s.issuerString()
                                : issuer),
                "clusterBootstrapClient0000000002", "cluster-bootstrap-secret-with-more-than-32-characters-b"));
    }
}
