package dev.latchkey.server.upstream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.AppleSigningKey;
import org.junit.jupiter.api.Test;

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
