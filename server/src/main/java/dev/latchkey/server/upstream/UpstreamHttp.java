package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every call to an upstream provider: a deadline on the whole exchange (body included), and at most {@value #MAX_BODY_BYTES}
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
        return send(request(uri).GET().header("Accept", "application/json"), timeout);
    }

    /** Sends a request Nimbus built (the token and userinfo calls), with its headers and body. */
    public HTTPResponse send(HTTPRequest request, Duration timeout) {
        HttpRequest.Builder builder = request(request.getURI());
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

    /**
     * A request to {@code uri}. Over cleartext http (a provider on this machine) it is HTTP/1.1 outright: asked
     * for HTTP/2 there, the client sends every request with an h2c upgrade offer ({@code Upgrade},
     * {@code HTTP2-Settings}) that providers ignore. Over https HTTP/2 is still negotiated (ALPN).
     */
    private static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        return builder;
    }

    private HTTPResponse send(HttpRequest.Builder builder, Duration timeout) {
        HttpRequest request = builder.timeout(timeout).build();
        // The deadline covers the whole exchange, body included: a provider dripping its answer byte by byte
        // is cut off like one that never answers.
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request,
                info -> new CappedBody(MAX_BODY_BYTES));
        HttpResponse<byte[]> answer;
        try {
            answer = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "The identity provider at "
                    + request.uri().getHost() + " did not answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpstreamException tooLarge) {
                throw new UpstreamException(tooLarge.reason(), "The identity provider's answer from "
                        + request.uri().getHost() + " is larger than " + MAX_BODY_BYTES / 1024 + " KB");
            }
            boolean late = e.getCause() instanceof HttpTimeoutException;
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "The identity provider at "
                    + request.uri().getHost() + (late ? " did not answer within " + timeout.toSeconds() + " s"
                    : " could not be reached"), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Reason.UNREACHABLE, "Interrupted", e);
        }
        HTTPResponse response = new HTTPResponse(answer.statusCode());
        answer.headers().firstValue("Content-Type").ifPresent(type -> response.setHeader("Content-Type", type));
        answer.headers().firstValue("WWW-Authenticate").ifPresent(value -> response.setHeader("WWW-Authenticate",
                value));
        response.setBody(new String(answer.body(), StandardCharsets.UTF_8));
        return response;
    }

    /** Collects a body of at most {@code cap} bytes; past that it stops reading and fails with TOO_LARGE. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new UpstreamException(UpstreamException.Reason.TOO_LARGE,
                            "too large"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
