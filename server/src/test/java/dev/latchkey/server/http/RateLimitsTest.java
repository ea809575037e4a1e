package dev.latchkey.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.config.Settings;
import dev.latchkey.server.ratelimit.RateLimit;
import dev.latchkey.server.ratelimit.RateLimits;
import dev.latchkey.server.testing.MovableClock;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits as Auth0 sends them (its rate-limit policy): every answer of both APIs carries
 * {@code x-ratelimit-limit}, {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (UNIX seconds); a spent
 * bucket answers 429 with {@code Retry-After} (RFC 6585 §4, RFC 9110 §10.2.3) in the API's error shape.
 */
class RateLimitsTest {

    private static final String API = "https://example.com/limited-api";

    private static RateLimits limits(String address, String client, String failures, String management) {
        return RateLimits.of(address, client, failures, management);
    }

    private static UnaryOperator<Settings> with(RateLimits limits) {
        return s -> TestSettings.withRateLimits(s, limits);
    }

    @Test
    void everyAnswerOfBothApisCarriesAuth0sHeaders() {
        try (TestServer server = TestServer.start()) {
            createApi(server);
            JsonNode client = machineClient(server);
            long now = System.currentTimeMillis() / 1000;

            HttpResponse<String> discovery = server.get(".well-known/openid-configuration");
            assertHeaders(discovery, RateLimits.DEFAULTS.address(), now);
            HttpResponse<String> token = token(server, client.path("client_id").asText(),
                    client.path("client_secret").asText());
            assertThat(token.statusCode()).isEqualTo(200);
            assertHeaders(token, RateLimits.DEFAULTS.client(), now);
            HttpResponse<String> refused = token(server, client.path("client_id").asText(), "wrong");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertHeaders(refused, RateLimits.DEFAULTS.address(), now);
            HttpResponse<String> missingRoute = server.get("no/such/endpoint");
            assertThat(missingRoute.statusCode()).isEqualTo(404);
            assertHeaders(missingRoute, RateLimits.DEFAULTS.address(), now);

            HttpResponse<String> management = server.management("GET", "api/v2/clients", null);
            assertThat(management.statusCode()).isEqualTo(200);
            assertHeaders(management, RateLimits.DEFAULTS.managementToken(), now);
            HttpResponse<String> unauthenticated = server.send(HttpRequest.newBuilder(server.uri("api/v2/clients")));
            assertThat(unauthenticated.statusCode()).isEqualTo(401);
            assertHeaders(unauthenticated, RateLimits.DEFAULTS.address(), now);
        }
    }

    @Test
    void aSpentAddressGets429WithRetryAfterInTheOAuthShape() {
        try (TestServer server = TestServer.start(with(limits("3,1/min", null, null, null)))) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.get(".well-known/jwks.json").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> spent = server.get(".well-known/jwks.json");

            assertThat(spent.statusCode()).isEqualTo(429);
            assertThat(json(spent).path("error").asText()).isEqualTo("too_many_requests");
            assertThat(json(spent).path("error_description").asText()).isNotBlank();
            assertThat(spent.headers().firstValue("x-ratelimit-remaining")).contains("0");
            // One token a minute: the next comes within 60 s (RFC 9110 §10.2.3: delay-seconds).
            assertThat(Long.parseLong(spent.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        }
    }

    @Test
    void aSpentManagementTokenGets429InTheManagementShape() {
        try (TestServer server = TestServer.start(with(limits(null, null, null, "2,1/min")))) {
            assertThat(server.management("GET", "api/v2/clients", null).statusCode()).isEqualTo(200);
            assertThat(server.management("GET", "api/v2/resource-servers", null).statusCode()).isEqualTo(200);
            HttpResponse<String> spent = server.management("GET", "api/v2/clients", null);

            assertThat(spent.statusCode()).isEqualTo(429);
            JsonNode body = json(spent);
            assertThat(body.path("statusCode").asInt()).isEqualTo(429);
            assertThat(body.path("error").asText()).isEqualTo("Too Many Requests");
            assertThat(body.path("errorCode").asText()).isEqualTo("too_many_requests");
            assertThat(body.path("message").asText()).isNotBlank();
            assertThat(spent.headers().firstValue("Retry-After")).isPresent();
            assertThat(spent.headers().firstValue("x-ratelimit-limit")).contains("2");
            assertThat(spent.headers().firstValue("x-ratelimit-remaining")).contains("0");
        }
    }

    @Test
    void guessingOneClientsSecretIsSlowedWhileOtherClientsGoOn() {
        MovableClock clock = MovableClock.startingNow();
        try (TestServer server = TestServer.start(with(limits(null, null, "3,1/min", null)), clock)) {
            createApi(server);
            JsonNode victim = machineClient(server);
            JsonNode bystander = machineClient(server);
            String victimId = victim.path("client_id").asText();

            for (int i = 0; i < 3; i++) {
                assertThat(token(server, victimId, "guess-" + i).statusCode()).isEqualTo(401); // RFC 6749 §5.2
            }
            HttpResponse<String> throttled = token(server, victimId, "guess-3");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(json(throttled).path("error").asText()).isEqualTo("too_many_requests");
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
            assertThat(throttled.headers().firstValue("x-ratelimit-limit")).contains("3");
            // Refused before the secret is checked: even the right one cannot tell a guess apart now.
            assertThat(token(server, victimId, victim.path("client_secret").asText()).statusCode()).isEqualTo(429);

            assertThat(token(server, bystander.path("client_id").asText(),
                    bystander.path("client_secret").asText()).statusCode()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(61));
            assertThat(token(server, victimId, victim.path("client_secret").asText()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTrustedProxysForwardedAddressHasItsOwnBucket() {
        try (TestServer server = TestServer.start(s -> TestSettings.withRateLimits(
                new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(), s.databaseUrl(), s.databaseUser(),
                        s.databasePassword(), s.masterKey(), s.bootstrapClientId(), s.bootstrapClientSecret(),
                        s.tlsCertFile(), s.tlsKeyFile(), List.of("127.0.0.1", "::1"), s.metricsToken()),
                limits("2,1/min", null, null, null)))) {
            assertThat(forwardedFor(server, "203.0.113.7").statusCode()).isEqualTo(200);
            assertThat(forwardedFor(server, "203.0.113.7").statusCode()).isEqualTo(200);
            assertThat(forwardedFor(server, "203.0.113.7").statusCode()).isEqualTo(429);

            assertThat(forwardedFor(server, "203.0.113.8").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientTakingThousandsOfTokensIsNotThrottledAtTheDefaults() throws Exception {
        try (TestServer server = TestServer.start()) {
            createApi(server);
            JsonNode client = machineClient(server);
            String id = client.path("client_id").asText();
            String secret = client.path("client_secret").asText();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 1_500; i++) {
                    answers.add(pool.submit(() -> token(server, id, secret).statusCode()));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
            HttpResponse<String> last = token(server, id, secret);
            assertThat(Long.parseLong(last.headers().firstValue("x-ratelimit-remaining").orElseThrow()))
                    .isGreaterThan(RateLimits.DEFAULTS.client().burst() / 2);
        }
    }

    private static HttpResponse<String> forwardedFor(TestServer server, String address) {
        return server.send(HttpRequest.newBuilder(server.uri(".well-known/jwks.json")).header("X-Forwarded-For", address));
    }

    private static void assertHeaders(HttpResponse<String> response, RateLimit limit, long nowSeconds) {
        assertThat(response.headers().firstValue("x-ratelimit-limit")).as(response.uri().toString())
                .contains(Long.toString(limit.burst()));
        long remaining = Long.parseLong(response.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertThat(remaining).isBetween(0L, limit.burst());
        // Auth0: x-ratelimit-reset is a UNIX timestamp in seconds, when the bucket is full again.
        long reset = Long.parseLong(response.headers().firstValue("x-ratelimit-reset").orElseThrow());
        assertThat(reset).isBetween(nowSeconds, nowSeconds + limit.period().toSeconds() * limit.burst() / limit.refill() + 5);
    }

    private static void createApi(TestServer server) {
        server.createApi("{\"identifier\":\"" + API + "\",\"name\":\"Limited\",\"scopes\":[{\"value\":\"read:x\"}]}");
    }

    private static JsonNode machineClient(TestServer server) {
        JsonNode client = server.createClient("{\"name\":\"job\",\"app_type\":\"non_interactive\"}");
        server.grant(client.path("client_id").asText(), API, "read:x");
        return client;
    }

    private static HttpResponse<String> token(TestServer server, String clientId, String secret) {
        return server.postForm("oauth/token", "grant_type=client_credentials&client_id=" + clientId
                + "&client_secret=" + secret + "&audience=" + API);
    }
}
