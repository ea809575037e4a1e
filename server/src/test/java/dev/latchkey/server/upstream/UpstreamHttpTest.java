package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a call to a provider on cleartext http puts on the wire. RFC 9113 §3.1: the {@code h2c} upgrade "was
 * never widely deployed and is deprecated", so such a call is plain HTTP/1.1, without an
 * {@code Upgrade: h2c} offer and its {@code HTTP2-Settings} on every request. (The deadline and the cap on
 * what is read are covered by {@code OidcUpstreamBadAnswersTest}.)
 */
class UpstreamHttpTest {

    private final List<Headers> received = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();
    private HttpServer provider;
    private URI base;

    @BeforeEach
    void startProvider() throws IOException {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders());
            protocols.add(exchange.getProtocol());
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        base = URI.create("http://127.0.0.1:" + provider.getAddress().getPort());
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
    }

    @Test
    void aCleartextGetIsHttp11WithoutAnUpgradeOffer() {
        HTTPResponse answer = new UpstreamHttp().get(base.resolve("/.well-known/openid-configuration"),
                Duration.ofSeconds(5));
        assertThat(answer.getStatusCode()).isEqualTo(200);
        assertThat(answer.getBody()).isEqualTo("{\"ok\":true}");
        assertThat(protocols).containsExactly("HTTP/1.1");
        assertThat(received.get(0).containsKey("Upgrade")).isFalse();
        assertThat(received.get(0).containsKey("Http2-settings")).isFalse();
    }

    @Test
    void aCleartextPostIsHttp11WithoutAnUpgradeOfferAndKeepsItsHeadersAndBody() throws Exception {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, base.resolve("/token"));
        request.setContentType("application/x-www-form-urlencoded");
        request.setAuthorization("Basic Y2xpZW50OnNlY3JldA==");
        request.setBody("grant_type=authorization_code&code=abc");
        UpstreamHttp http = new UpstreamHttp();
        http.send(request, Duration.ofSeconds(5));
        http.send(request, Duration.ofSeconds(5));
        assertThat(protocols).containsExactly("HTTP/1.1", "HTTP/1.1");
        for (Headers headers : received) {
            assertThat(headers.containsKey("Upgrade")).isFalse();
            assertThat(headers.containsKey("Http2-settings")).isFalse();
            assertThat(headers.getFirst("Authorization")).isEqualTo("Basic Y2xpZW50OnNlY3JldA==");
            assertThat(headers.getFirst("Content-Type")).startsWith("application/x-www-form-urlencoded");
        }
    }
}
