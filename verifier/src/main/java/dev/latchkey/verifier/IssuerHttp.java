package dev.latchkey.verifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs JSON from the issuer: discovery, JWKS, userinfo. Every request has a timeout, redirects are not
 * followed (the issuer's own URLs are the only ones trusted) and bodies are read up to a bound, so a slow or
 * hostile endpoint cannot hold a request thread or fill the heap.
 */
final class IssuerHttp {

    /** What came back: the status, the body, and the {@code Cache-Control} header if any. */
    record Response(int status, String body, Optional<String> cacheControl) {
    }

    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpClient client;
    private final Duration timeout;

    IssuerHttp(Duration timeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timeout = timeout;
    }

    Response get(URI uri) throws IOException {
        return send(request(uri).build());
    }

    /** RFC 6750 §2.1: presents {@code accessToken} in the Authorization header. */
    Response getWithBearer(URI uri, String accessToken) throws IOException {
        return send(request(uri).header("Authorization", "Bearer " + accessToken).build());
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
    }

    private Response send(HttpRequest request) throws IOException {
        // The request timeout stops at the response headers; the deadline below also bounds the body, so a
        // trickling server cannot hold the caller (who may hold the key-refresh lock).
        CompletableFuture<Response> pending = client
                .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(IssuerHttp::read);
        try {
            return pending.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + request.uri(), e);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("timed out fetching " + request.uri(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException unchecked
                    ? unchecked.getCause() : e.getCause();
            throw new IOException("could not fetch " + request.uri() + ": " + cause, cause);
        }
    }

    private static Response read(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException(response.uri() + " answered more than " + MAX_BODY_BYTES + " bytes");
            }
            return new Response(response.statusCode(), new String(body, StandardCharsets.UTF_8),
                    response.headers().firstValue("Cache-Control"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
