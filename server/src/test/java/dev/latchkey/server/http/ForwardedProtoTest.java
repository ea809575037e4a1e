package dev.latchkey.server.http;

import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code X-Forwarded-Proto} is believed only from {@code LATCHKEY_TRUSTED_PROXIES}; the visible
 * effect is HSTS, which must never go out over plain HTTP (RFC 6797 §7.2) and should go out when a
 * trusted TLS-terminating proxy says the client came over HTTPS (RFC 6797 §7.1).
 */
class ForwardedProtoTest {

    private static final String HSTS = "Strict-Transport-Security";

    @Test
    void headerFromAnUntrustedPeerChangesNothing() {
        try (TestServer server = TestServer.start()) {
            assertThat(hsts(server, "https")).isNull();
            assertThat(hsts(server, null)).isNull();
        }
    }

    @Test
    void headerFromATrustedProxyTurnsOnHsts() {
        try (TestServer server = TestServer.start(s -> TestSettings.withTrustedProxies(s, List.of("127.0.0.1")))) {
            assertThat(hsts(server, "https")).isEqualTo("max-age=31536000");
            assertThat(hsts(server, "HTTPS")).isEqualTo("max-age=31536000");
            assertThat(hsts(server, "http")).isNull();
            assertThat(hsts(server, null)).isNull();
        }
    }

    @Test
    void proxyRangeThatDoesNotHoldThePeerIsNotTrusted() {
        try (TestServer server = TestServer.start(s -> TestSettings.withTrustedProxies(s,
                List.of("10.0.0.0/8", "::1")))) {
            assertThat(hsts(server, "https")).isNull();
        }
    }

    @Test
    void rangeHoldingThePeerIsTrusted() {
        try (TestServer server = TestServer.start(s -> TestSettings.withTrustedProxies(s, List.of("127.0.0.0/8")))) {
            assertThat(hsts(server, "https")).isEqualTo("max-age=31536000");
        }
    }

    @Test
    void badTrustedProxiesStopTheStartNamingTheEntry() {
        assertThatThrownBy(() -> TestServer.start(s -> TestSettings.withTrustedProxies(s,
                List.of("127.0.0.1", "proxy.internal"))).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LATCHKEY_TRUSTED_PROXIES")
                .hasMessageContaining("proxy.internal");
    }

    private static String hsts(TestServer server, String forwardedProto) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(".well-known/openid-configuration"));
        if (forwardedProto != null) {
            request.header("X-Forwarded-Proto", forwardedProto);
        }
        HttpResponse<String> response = server.send(request);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue(HSTS).orElse(null);
    }
}
