package dev.latchkey.server.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Management API calls with a token of chosen scopes, and waiting for eventually visible state. */
public final class ManagementCalls {

    private ManagementCalls() {
    }

    /** A Management API token for a new machine-to-machine client granted exactly {@code scopes}. */
    public static String tokenWithScopes(TestServer server, String... scopes) {
        JsonNode client = server.createClient("""
                {"name":"limited","app_type":"non_interactive","grant_types":["client_credentials"]}""");
        String clientId = client.path("client_id").asText();
        server.grant(clientId, server.managementAudience(), scopes);
        HttpResponse<String> response = server.postForm("oauth/token", "grant_type=client_credentials&client_id="
                + clientId + "&client_secret=" + client.path("client_secret").asText()
                + "&audience=" + encode(server.managementAudience()));
        return TestServer.json(response).path("access_token").asText();
    }

    public static HttpResponse<String> call(TestServer server, String token, String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return server.send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)));
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Polls {@code supplier} until {@code done} holds (5 s at most) and returns the last value. */
    public static <T> T eventually(Supplier<T> supplier, Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        T value = supplier.get();
        while (!done.test(value) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = supplier.get();
        }
        return value;
    }
}
