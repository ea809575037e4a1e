package dev.latchkey.server.http;

import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.latchkey.server.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Health, metrics, and what every response carries. */
class OperationsTest {

    @AutoClose
    private static final TestServer server = TestServer.start();

    @Test
    void liveAndReadyAnswerUp() {
        assertThat(json(server.get("health/live")).get("status").asText()).isEqualTo("up");
        HttpResponse<String> ready = server.get("health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("up");
    }

    @Test
    void metricsCountIssuedTokensInPrometheusFormat() {
        server.managementToken();
        HttpResponse<String> metrics = server.get("metrics");
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body()).contains("latchkey_tokens_issued_total{grant_type=\"client_credentials\"}");
    }

    @Test
    void metricsTellWhatPasswordHashingCosts() {
        double before = meter(server.get("metrics").body(), "latchkey_password_hashes_total");
        HttpResponse<String> created = server.management("POST", "api/v2/users", """
                {"email":"metered@example.com","password":"Metered-pa55word!","connection":"Username-Password-Authentication"}""");
        assertThat(created.statusCode()).isEqualTo(201);
        String after = server.get("metrics").body();
        assertThat(meter(after, "latchkey_password_hashes_total")).isEqualTo(before + 1);
        assertThat(meter(after, "latchkey_password_hash_cpu_seconds_total")).isPositive();
        assertThat(meter(after, "latchkey_password_hash_refused_total")).isZero();
    }

    private static double meter(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError(name + " missing from /metrics"));
    }

    @Test
    void aMetricsTokenClosesMetricsButNotTheHealthProbes() {
        // RFC 6750 §3: no or a wrong bearer token gets 401 with a WWW-Authenticate challenge.
        try (TestServer guarded = TestServer.start(s -> dev.latchkey.server.testing.TestSettings.withMetricsToken(s, "scrape-secret-123"))) {
            HttpResponse<String> none = guarded.get("metrics");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
            assertThat(json(none).get("error").asText()).isEqualTo("invalid_token");
            for (String wrong : new String[] {"Bearer scrape-secret-12", "Bearer scrape-secret-1234", "Basic x",
                    "Bearer ", "scrape-secret-123"}) {
                assertThat(guarded.send(java.net.http.HttpRequest.newBuilder(guarded.uri("metrics"))
                        .header("Authorization", wrong)).statusCode()).as(wrong).isEqualTo(401);
            }
            HttpResponse<String> right = guarded.send(java.net.http.HttpRequest.newBuilder(guarded.uri("metrics"))
                    .header("Authorization", "Bearer scrape-secret-123"));
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(right.body()).contains("latchkey_");
            assertThat(guarded.get("health/live").statusCode()).isEqualTo(200);
            assertThat(guarded.get("health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyLoopbackBindsKeepAnOpenMetricsEndpointQuiet() {
        // Without LATCHKEY_METRICS_TOKEN the server warns unless the bind is loopback.
        for (String loopback : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
            assertThat(HttpServer.isLoopback(loopback)).as(loopback).isTrue();
        }
        for (String open : new String[] {"0.0.0.0", "::", "192.0.2.10", "2001:db8::1"}) {
            assertThat(HttpServer.isLoopback(open)).as(open).isFalse();
        }
    }

    @Test
    void everyResponseCarriesSecurityHeadersAndNoServerVersion() {
        HttpResponse<String> response = server.get(".well-known/jwks.json");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(response.headers().firstValue("Server")).isEmpty();
        // Plain HTTP without a trusted proxy: no HSTS (it would be ignored and misleading).
        assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void answersAreNeverCompressedWhateverTheClientAccepts() {
        // The OpenAPI document is tens of kilobytes of JSON: above any size Javalin would compress from.
        HttpResponse<String> response = server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("api/v2/openapi.json")).header("Accept-Encoding", "gzip, br, zstd"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(json(response).has("openapi")).isTrue();
    }

    @Test
    void theDefaultLoopbackBindAnswersOnIpv4AndIpv6() {
        // The issuer says "localhost", which a client may resolve to 127.0.0.1 or ::1.
        org.junit.jupiter.api.Assumptions.assumeTrue(HttpServer.listenAddresses("127.0.0.1").contains("::1"),
                "no IPv6 loopback on this machine");
        int port = server.latchkey().port();
        for (String host : new String[] {"127.0.0.1", "[::1]"}) {
            HttpResponse<String> response = server.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + host + ":" + port + "/health/live")));
            assertThat(response.statusCode()).as(host).isEqualTo(200);
        }
    }

    @Test
    void requestsJettyRefusesItselfStillGetJson() throws Exception {
        // A malformed percent-encoding never reaches a route; the answer keeps the JSON error shape.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.latchkey().port())) {
            socket.getOutputStream().write("GET /api/v2/users/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json")
                    .contains("\"error\":\"invalid_request\"").doesNotContain("<html");
        }
    }

    @Test
    void unknownPathsGetAJsonNotFound() {
        HttpResponse<String> response = server.get("no/such/thing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void errorsJettyAnswersItselfCarryTheSecurityHeaders() throws Exception {
        // OWASP ASVS 14.4: the same headers on every response, including those no route produced.
        String bar = raw("GET /authorize|b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        String huge = raw("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "p".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(bar).startsWith("HTTP/1.1 400");
        assertThat(huge).startsWith("HTTP/1.1 431");
        for (String answer : new String[] {bar, huge}) {
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
            assertThat(head).contains("x-content-type-options: nosniff", "cache-control: no-store",
                    "content-security-policy: default-src 'none'; frame-ancestors 'none'", "x-frame-options: deny",
                    "referrer-policy: no-referrer", "content-type: application/json");
        }
    }

    @Test
    void anErrorJettyAnswersItselfSaysTheConnectionCloses() throws Exception {
        // RFC 9112 §9.6: Jetty closes after such an answer; without "Connection: close" a pooling client
        // sends its next request into the closed connection and gets nothing back.
        String nul = raw("GET /api/v2/roles/rol_%00 HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(nul).startsWith("HTTP/1.1 400");
        assertThat(nul.substring(0, nul.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT))
                .contains("connection: close");
    }

    @Test
    void metricsWithoutATokenAnswerOnlyLocalCallers() {
        // OWASP ASVS 14.3.3: operational data only to who needs it. A proxy on this machine adds a
        // forwarding header to what it passes on from elsewhere.
        HttpResponse<String> forwarded = server.send(java.net.http.HttpRequest.newBuilder(server.uri("metrics"))
                .header("X-Forwarded-For", "198.51.100.4"));
        assertThat(forwarded.statusCode()).isEqualTo(403);
        assertThat(json(forwarded).get("error").asText()).isEqualTo("access_denied");
        assertThat(OperationsEndpoints.localCaller("127.0.0.1", null, null)).isTrue();
        assertThat(OperationsEndpoints.localCaller("[::1]", null, null)).isTrue();
        assertThat(OperationsEndpoints.localCaller("192.0.2.10", null, null)).isFalse();
        assertThat(OperationsEndpoints.localCaller("127.0.0.1", null, "for=198.51.100.4")).isFalse();
        assertThat(OperationsEndpoints.localCaller("", null, null)).isFalse();
        assertThat(OperationsEndpoints.localCaller("localhost", null, null)).isFalse();
    }

    @Test
    void metricsWithATokenAnswerItFromAnywhere() {
        try (TestServer guarded = TestServer.start(s -> dev.latchkey.server.testing.TestSettings.withMetricsToken(s,
                "scrape-secret-123"))) {
            HttpResponse<String> forwarded = guarded.send(java.net.http.HttpRequest.newBuilder(guarded.uri("metrics"))
                    .header("X-Forwarded-For", "198.51.100.4").header("Authorization", "Bearer scrape-secret-123"));
            assertThat(forwarded.statusCode()).isEqualTo(200);
        }
    }

    private static String raw(String request) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.latchkey().port())) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
