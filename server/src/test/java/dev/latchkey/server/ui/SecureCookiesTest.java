package dev.latchkey.server.ui;

import dev.latchkey.server.config.Settings;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cookies are Secure when the request came over HTTPS, here through a trusted proxy (RFC 6265bis §4.1.2.5). */
class SecureCookiesTest {

    @Test
    void cookiesAreSecureBehindAnHttpsProxy() {
        try (TestServer server = TestServer.start(s -> new Settings(s.port(), s.bind(), s.issuer(), s.dataDir(),
                s.databaseUrl(), s.databaseUser(), s.databasePassword(), s.masterKey(), s.bootstrapClientId(),
                s.bootstrapClientSecret(), s.tlsCertFile(), s.tlsKeyFile(), List.of("127.0.0.1")))) {
            String clientId = server.createClient("""
                    {"name":"Web","app_type":"regular_web","callbacks":["https://app.example.com/cb"]}""")
                    .path("client_id").asText();
            String query = "authorize?response_type=code&client_id=" + clientId
                    + "&redirect_uri=https://app.example.com/cb&scope=openid";
            HttpResponse<String> proxied = server.send(HttpRequest.newBuilder(server.uri(query))
                    .header("X-Forwarded-Proto", "https").GET());
            assertThat(proxied.statusCode()).isEqualTo(302);
            assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow())
                    .contains("HttpOnly").contains("SameSite=Lax").contains("; Secure");

            HttpResponse<String> plain = server.get(query);
            assertThat(plain.headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        }
    }
}
