package dev.latchkey.server.upstream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.AppleSigningKey;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.server.identity.Connection;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sign in with Apple's client secret: an ES256 JWT signed with the app's key, short-lived. */
class AppleClientSecretTest {

    @Test
    void signsAShortLivedEs256SecretNamingTheTeamTheServiceAndTheProvider() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        Instant now = Instant.parse("2026-12-07T12:00:00Z");

        SignedJWT secret = SignedJWT.parse(AppleClientSecret.sign(pem(keys), "KEY123", "TEAM456",
                "com.example.web", "https://appleid.apple.com", now));

        assertThat(secret.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(secret.getHeader().getKeyID()).isEqualTo("KEY123");
        assertThat(secret.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
        JWTClaimsSet claims = secret.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("TEAM456");
        assertThat(claims.getSubject()).isEqualTo("com.example.web");
        assertThat(claims.getAudience()).isEqualTo(List.of("https://appleid.apple.com"));
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(now);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(now.plus(AppleClientSecret.LIFETIME));
    }

    @Test
    void onlyAnEcP256KeyInPkcs8PemIsTakenAndTheErrorNeverQuotesIt() throws Exception {
        assertThat(AppleSigningKey.read(pem(ecKeys("secp256r1")))).isNotNull();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String rsaPem = pem(rsa.generateKeyPair());
        for (String bad : List.of(rsaPem, pem(ecKeys("secp384r1")), "not a key",
                "-----BEGIN PRIVATE KEY-----\nAAAA!!!!\n-----END PRIVATE KEY-----")) {
            assertThatThrownBy(() -> AppleSigningKey.read(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("app_secret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.length() > 40 ? bad.substring(30, 40) : "!!!!"));
        }
        assertThat(AppleSigningKey.isPem(rsaPem)).isTrue();
        assertThat(AppleSigningKey.isPem("a-client-secret")).isFalse();
    }

    @Test
    void theCodeExchangeAndTheTokenVaultsRefreshSendASecretSignedWithTheConnectionsKeyNeverTheKey() throws Exception {
        KeyPair keys = ecKeys("secp256r1");
        String pem = pem(keys);
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer apple = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + apple.getAddress().getPort();
        apple.createContext("/.well-known/openid-configuration", exchange -> answer(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/auth/authorize","token_endpoint":"%1$s/auth/token",
                 "jwks_uri":"%1$s/auth/keys","response_types_supported":["code"],"subject_types_supported":["pairwise"],
                 "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer)));
        apple.createContext("/auth/keys", exchange -> answer(exchange, 200, "{\"keys\":[]}"));
        apple.createContext("/auth/token", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
        });
        apple.start();
        try {
            UpstreamHttp http = new UpstreamHttp();
            OidcUpstream oidc = new OidcUpstream(new OidcProviders(http, Clock.systemUTC()), http);
            Connection connection = new Connection("con_apple", "apple", "apple", null, List.of(),
                    Map.of("issuer", issuer, "client_id", "com.example.web", "team_id", "TEAM456", "kid", "KEY123"),
                    pem, List.of(), Map.of(), false, true, Instant.now(), Instant.now());

            assertThatThrownBy(() -> oidc.finish(SocialPresets.effective(connection),
                    Map.of("code", "c1", "state", "s"), URI.create("https://auth.example/login/callback"), "n",
                    "v".repeat(43))).isInstanceOf(UpstreamException.class).hasMessageContaining("invalid_grant");

            // Token Vault: refreshing the user's Apple tokens (RFC 6749 §6) authenticates the same way.
            assertThatThrownBy(() -> oidc.refresh(SocialPresets.effective(connection), "apple-refresh-token"))
                    .isInstanceOf(UpstreamException.class);

            assertThat(bodies).hasSize(2);
            for (String body : bodies) {
                Map<String, String> form = new HashMap<>();
                URLUtils.parseParameters(body).forEach((name, values) -> form.put(name, values.get(0)));
                assertThat(form).containsEntry("client_id", "com.example.web");
                assertThat(body).doesNotContain("PRIVATE");
                SignedJWT secret = SignedJWT.parse(form.get("client_secret"));
                assertThat(secret.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
                assertThat(secret.getHeader().getKeyID()).isEqualTo("KEY123");
                assertThat(secret.getJWTClaimsSet().getIssuer()).isEqualTo("TEAM456");
                assertThat(secret.getJWTClaimsSet().getAudience()).isEqualTo(List.of(issuer));
            }
            assertThat(bodies.get(1)).contains("grant_type=refresh_token").contains("apple-refresh-token");
        } finally {
            apple.stop(0);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static KeyPair ecKeys(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
