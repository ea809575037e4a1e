package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every call to an upstream provider: a deadline on the whole exchange, and at most {@value #MAX_BODY_BYTES}
 * bytes read from the answer, so a slow or hostile provider holds a request thread for seconds at most and
 * cannot fill the memory (RFC 9700 §4.x: treat the provider's answers as untrusted input). Redirects are not
 * followed. Answers come back as Nimbus {@link HTTPResponse}s for its parsers.
 */
public final class UpstreamHttp {

    /** More than any discovery document, JWKS, token or userinfo answer needs. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public HTTPResponse get(URI uri, Duration timeout) {
        return send(HttpRequest.newBuilder(uri).GET().header("Accept", "application/json"), timeout);
    }

    /** Sends a request Nimbus built (the token and userinfo calls), with its headers and body. */
    public HTTPResponse send(HTTPRequest request, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI());
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = request.getHeaderMap();
        headers.forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        if (request.getMethod() == HTTPRequest.Method.POST) {
            builder.POST(HttpRequest.BodyPublishers.ofString(request.getBody() == null ? "" : request.getBody()));
        } else {
            builder.GET();
        }
        return send(builder, timeout);
    }

    private HTTPResponse send(HttpRequest.Builder builder, Duration timeout) {
        HttpRequest request = builder.timeout(timeout).build();
        try {
            HttpResponse<InputStream> answer = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = answer.body()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                throw new UpstreamException(UpstreamException.Reason.TOO_LARGE, "The identity provider's answer from "
                        + request.uri().getHost() + " is larger than " + MAX_BODY_BYTES / 1024 + " KB");
            }
            HTTPResponse response = new HTTPResponse(answer.statusCode());
            answer.headers().firstValue("Content-Type").ifPresent(type -> response.setHeader("Content-Type", type));
            answer.headers().firstValue("WWW-Authenticate").ifPresent(value -> response.setHeader("WWW-Authenticate",
                    value));
            response.setBody(new String(body, StandardCharsets.UTF_8));
            return response;
        } catch (HttpTimeoutException e) {
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "The identity provider at "
                    + request.uri().getHost() + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "The identity provider at "
                    + request.uri().getHost() + " could not be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "Interrupted", e);
        }
    }
}
