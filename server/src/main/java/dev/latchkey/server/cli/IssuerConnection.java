package dev.latchkey.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.http.Json;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP to one Latchkey server, addressed by its issuer URL. Every failure to talk to it becomes a
 * {@link CliException} saying what to check; answers come back as {@link ServerAnswer}s.
 */
final class IssuerConnection {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI issuer;
    private final HttpClient http;

    IssuerConnection(URI issuer) {
        this.issuer = issuer;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    URI issuer() {
        return issuer;
    }

    /** {@code path} is relative to the issuer, e.g. {@code oauth/token}. */
    URI resolve(String path) {
        return URI.create(issuer + path);
    }

    ServerAnswer get(URI uri, String bearer) {
        return send(authorised(HttpRequest.newBuilder(uri), bearer).GET());
    }

    ServerAnswer postForm(String path, String form) {
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8)));
    }

    /** A JSON call; {@code body} may be null. */
    ServerAnswer sendJson(String method, String path, JsonNode body, String bearer) {
        HttpRequest.Builder request = authorised(HttpRequest.newBuilder(resolve(path)), bearer);
        if (body == null) {
            return send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        try {
            return send(request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a request body", e);
        }
    }

    private static HttpRequest.Builder authorised(HttpRequest.Builder request, String bearer) {
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    private ServerAnswer send(HttpRequest.Builder builder) {
        HttpRequest request = builder.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException | ConnectException | UnresolvedAddressException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw CliException.failed("Latchkey at " + issuer + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s. Is it overloaded, or is --issuer pointing elsewhere?");
        } catch (SSLException e) {
            throw CliException.failed("TLS with " + issuer + " failed (" + e.getMessage() + "). If the server's "
                    + "certificate comes from a private CA, let Java trust it (-Djavax.net.ssl.trustStore=...); "
                    + "if the server speaks plain HTTP, use an http:// issuer.");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException || e.getCause() instanceof UnresolvedAddressException) {
                throw unreachable();
            }
            throw CliException.failed("The connection to Latchkey at " + issuer + " failed: " + e
                    + ". Is `./latchkey serve` running there?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("Interrupted while waiting for " + issuer);
        }
        return answer(request, response);
    }

    private CliException unreachable() {
        return CliException.failed("Cannot reach Latchkey at " + issuer + ". Is `./latchkey serve` running? "
                + "If it runs elsewhere, pass --issuer or set LATCHKEY_ISSUER.");
    }

    private ServerAnswer answer(HttpRequest request, HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return new ServerAnswer(response.statusCode(), null);
        }
        try {
            return new ServerAnswer(response.statusCode(), Json.MAPPER.readTree(body));
        } catch (JsonProcessingException e) {
            throw CliException.failed(request.method() + " " + request.uri() + " answered HTTP "
                    + response.statusCode() + " with something other than JSON. Is " + issuer
                    + " a Latchkey server (check --issuer)?");
        }
    }
}
