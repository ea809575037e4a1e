package dev.latchkey.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.http.SelfSignedCertificate.KeyFormat;
import dev.latchkey.server.testing.TestServer;
import dev.latchkey.server.testing.TestSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code LATCHKEY_TLS_CERT_FILE} / {@code _KEY_FILE}: the server speaks HTTPS itself (Auth0's Node
 * SDKs speak nothing else), only HTTPS on its port, with HSTS (RFC 6797 §7.1); unreadable PEM
 * files stop it at start with a message naming the file.
 */
class TlsTest {

    private static SelfSignedCertificate certificate;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificate() {
        certificate = SelfSignedCertificate.generate();
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void servesDiscoveryAndTokensOverHttps(KeyFormat format) throws Exception {
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, format);
        assertThat(Files.readString(key)).startsWith(format == KeyFormat.PKCS8
                ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN RSA PRIVATE KEY-----");

        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            HttpClient https = HttpClient.newBuilder().sslContext(certificate.trustingIt())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://localhost:" + server.latchkey().port() + "/";
            assertThat(server.issuer()).isEqualTo(base);

            HttpResponse<String> discovery = https.send(HttpRequest.newBuilder(URI.create(
                    base + ".well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(discovery.statusCode()).isEqualTo(200);
            // RFC 6797 §7.1: over a secure transport the host says to stay on it.
            assertThat(discovery.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
            JsonNode metadata = TestServer.json(discovery);
            // RFC 8414 §3.3 / OIDC Discovery §4.3: the issuer in the metadata is the URL asked for.
            assertThat(metadata.path("issuer").asText()).isEqualTo(base);
            assertThat(metadata.path("token_endpoint").asText()).isEqualTo(base + "oauth/token");

            HttpResponse<String> token = https.send(HttpRequest.newBuilder(URI.create(base + "oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + server.bootstrapClientId() + "&client_secret=" + server.bootstrapClientSecret()
                            + "&audience=" + server.managementAudience()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            assertThat(token.headers().firstValue("Strict-Transport-Security")).isPresent();
            String accessToken = TestServer.json(token).path("access_token").asText();
            assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getIssuer()).isEqualTo(base);
        }
    }

    /**
     * Only the TLS connector listens (Javalin adds its plain connector only when none is given):
     * a plain-HTTP request to the port is answered with a TLS alert, not an HTTP response.
     */
    @Test
    void doesNotServePlainHttpOnTheTlsPort() throws Exception {
        Path cert = certificate.writeCertificate(dir);
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        try (TestServer server = TestServer.start(s -> TestSettings.withTls(s, cert, key))) {
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.latchkey().port()
                    + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(10)).build();

            assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void unreadableCertificateFileStopsStartWithItsName() throws Exception {
        Path cert = Files.writeString(dir.resolve("broken-cert.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n");
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);

        assertStartFails(cert, key, "LATCHKEY_TLS_CERT_FILE " + cert + " cannot be read as PEM");
    }

    @Test
    void certificateFileWithoutACertificateStopsStart() throws Exception {
        Path key = certificate.writeKey(dir, KeyFormat.PKCS8);
        Path cert = Files.copy(key, dir.resolve("not-a-cert.pem"));

        assertStartFails(cert, key, cert + " holds no PEM certificate");
    }

    @Test
    void keyFileWithoutAKeyStopsStart() throws Exception {
        Path cert = certificate.writeCertificate(dir);
        Path key = Files.copy(cert, dir.resolve("not-a-key.pem"));

        assertStartFails(cert, key, key + " holds no unencrypted private key");
    }

    @Test
    void missingKeyFileStopsStartWithItsName() throws Exception {
        Path cert = certificate.writeCertificate(dir);
        Path key = dir.resolve("missing-key.pem");

        assertStartFails(cert, key, "LATCHKEY_TLS_KEY_FILE " + key + " does not exist");
    }

    @Test
    void keyOfAnotherCertificateStopsStart() throws Exception {
        Path cert = certificate.writeCertificate(dir);
        Path key = SelfSignedCertificate.generate().writeKey(dir, KeyFormat.PKCS1);

        assertStartFails(cert, key, key + " is not the private key of the certificate in LATCHKEY_TLS_CERT_FILE "
                + cert);
    }

    private static void assertStartFails(Path cert, Path key, String messagePart) {
        assertThatThrownBy(() -> TestServer.start(s -> TestSettings.withTls(s, cert, key)).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart);
    }
}
