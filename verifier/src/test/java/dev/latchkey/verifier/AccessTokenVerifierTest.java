package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;

import static dev.latchkey.verifier.TokenVerificationException.Reason.EXPIRED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.INSUFFICIENT_SCOPE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING_CLAIM;
import static dev.latchkey.verifier.TokenVerificationException.Reason.NOT_A_JWT;
import static dev.latchkey.verifier.TokenVerificationException.Reason.ISSUED_IN_FUTURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokenVerifierTest {

    private TestIssuer issuer;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier().build();
    }

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    @Test
    void acceptsLatchkeyUserTokenAndExposesItsClaims() throws Exception {
        VerifiedToken token = verifier.verify(issuer.token());

        assertThat(token.subject()).isEqualTo("auth0|123456");
        assertThat(token.issuer()).isEqualTo(issuer.issuer());
        assertThat(token.audience()).containsExactly(TestIssuer.API, issuer.issuer() + "userinfo");
        assertThat(token.scopes()).containsExactlyInAnyOrder("openid", "profile", "read:patients");
        assertThat(token.hasScope("read:patients")).isTrue();
        assertThat(token.hasScope("read:admin")).isFalse();
        assertThat(token.hasScopes("openid", "read:patients")).isTrue();
        assertThat(token.permissions()).containsExactly("read:patients");
        assertThat(token.hasPermission("read:patients")).isTrue();
        assertThat(token.clientId()).contains("my_client_id");
        assertThat(token.expiresAt()).isPresent();
        assertThat(token.claims()).containsEntry("azp", "my_client_id").containsKey("jti");
        assertThat(token.fromUserinfo()).isFalse();
        assertThat(token.toString()).doesNotContain("ey");
    }

    @Test
    void acceptsMachineToMachineTokenWithStringAudience() throws Exception {
        VerifiedToken token = verifier.verify(issuer.token(c -> c
                .subject("CS2MNgcX1VZF@clients").audience(TestIssuer.API)
                .claim("gty", "client-credentials").claim("scope", "read:admin").claim("permissions", null)));

        assertThat(token.subject()).isEqualTo("CS2MNgcX1VZF@clients");
        assertThat(token.audience()).containsExactly(TestIssuer.API);
        assertThat(token.scopes()).containsExactly("read:admin");
        assertThat(token.permissions()).isEmpty();
    }

    @Test
    void acceptsRfc9068ProfileTyped() throws Exception {
        JWSHeader header = issuer.header().type(new JOSEObjectType("at+jwt")).build();
        VerifiedToken token = verifier.verify(issuer.sign(header, issuer.claims()
                .claim("azp", null).claim("client_id", "rfc_client").build()));

        assertThat(token.clientId()).contains("rfc_client");
    }

    @Test
    void acceptsTokenWithoutScopeAsHavingNone() throws Exception {
        VerifiedToken token = verifier.verify(issuer.token(c -> c.claim("scope", null)));

        assertThat(token.scopes()).isEmpty();
    }

    @Test
    void requireScopesNamesWhatIsMissing() throws Exception {
        VerifiedToken token = verifier.verify(issuer.token());

        token.requireScopes("read:patients");
        assertThatThrownBy(() -> token.requireScopes("read:patients", "read:admin"))
                .isInstanceOfSatisfying(TokenVerificationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(INSUFFICIENT_SCOPE);
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.bearerError()).contains(BearerError.INSUFFICIENT_SCOPE);
                    assertThat(e.requiredScopes()).containsExactly("read:patients", "read:admin");
                });
        assertThatThrownBy(() -> token.requirePermissions("delete:patients"))
                .isInstanceOfSatisfying(TokenVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(INSUFFICIENT_SCOPE));
    }

    @Test
    void toleratesClockSkewWithinLeeway() throws Exception {
        Instant now = Instant.now();
        String expiredThirtySecondsAgo = issuer.token(c -> c
                .issueTime(Date.from(now.minusSeconds(3600))).expirationTime(Date.from(now.minusSeconds(30))));
        String issuedThirtySecondsAhead = issuer.token(c -> c.issueTime(Date.from(now.plusSeconds(30)))
                .notBeforeTime(Date.from(now.plusSeconds(30))));

        assertThat(verifier.verify(expiredThirtySecondsAgo).subject()).isEqualTo("auth0|123456");
        assertThat(verifier.verify(issuedThirtySecondsAhead).subject()).isEqualTo("auth0|123456");

        try (AccessTokenVerifier strict = issuer.verifier().leeway(Duration.ZERO).build()) {
            assertReason(() -> strict.verify(expiredThirtySecondsAgo), EXPIRED);
            assertReason(() -> strict.verify(issuer.token(c -> c.issueTime(Date.from(now.plusSeconds(30))))),
                    ISSUED_IN_FUTURE);
        }
    }

    @Test
    void usesTheConfiguredClock() throws Exception {
        String token = issuer.token();
        Clock tomorrow = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);

        try (AccessTokenVerifier later = issuer.verifier().clock(tomorrow).build()) {
            assertReason(() -> later.verify(token), EXPIRED);
        }
    }

    @Test
    void requiresExpiryAndSubject() {
        assertReason(() -> verifier.verify(issuer.token(c -> c.expirationTime(null))), MISSING_CLAIM);
        assertReason(() -> verifier.verify(issuer.token(c -> c.subject(null))), MISSING_CLAIM);
    }

    @Test
    void refusesEmptyAndOpaqueTokensByDefault() {
        assertReason(() -> verifier.verify(""), MISSING);
        assertReason(() -> verifier.verify(null), MISSING);
        assertReason(() -> verifier.verify("k2Q9vXq3yZ0aLmN7pR4sT8uW1bC6dE5f"), NOT_A_JWT);
        assertThat(issuer.requests(TestIssuer.USERINFO_PATH)).isZero();
    }

    @Test
    void verifiesPs256AndEs256WhenAllowed() throws Exception {
        RSAKey rsa = issuer.currentKey();
        ECKey ec = TestKeys.ecP256("ec-1");
        JWKSet keys = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
        try (AccessTokenVerifier both = issuer.verifier().algorithms("PS256", "ES256").jwks(keys).build()) {
            String ps256 = signed(new JWSHeader.Builder(JWSAlgorithm.PS256).type(JOSEObjectType.JWT)
                    .keyID(rsa.getKeyID()).build(), new RSASSASigner(rsa));
            String es256 = signed(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                    .keyID("ec-1").build(), new ECDSASigner(ec));

            assertThat(both.verify(ps256).subject()).isEqualTo("auth0|123456");
            assertThat(both.verify(es256).subject()).isEqualTo("auth0|123456");
            assertReason(() -> both.verify(issuer.token()), TokenVerificationException.Reason.DISALLOWED_ALGORITHM);
        }
    }

    @Test
    void verifiesHs256WithTheApiSigningSecret() throws Exception {
        byte[] secret = "an API signing secret of 32 bytes".getBytes();
        try (AccessTokenVerifier hs = issuer.verifier().algorithms("RS256").hmacSecret(secret).build()) {
            String token = signed(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                    new MACSigner(secret));

            assertThat(hs.verify(token).subject()).isEqualTo("auth0|123456");
            assertThat(hs.verify(issuer.token()).subject()).isEqualTo("auth0|123456");
        }
    }

    @Test
    void verifiesWithGivenJwksWithoutAnyRequest() throws Exception {
        try (AccessTokenVerifier offline = issuer.verifier()
                .jwks(new JWKSet(issuer.currentKey().toPublicJWK())).build()) {
            assertThat(offline.verify(issuer.token()).subject()).isEqualTo("auth0|123456");
        }
        assertThat(issuer.requests(TestIssuer.DISCOVERY_PATH) + issuer.requests(TestIssuer.JWKS_PATH)).isZero();
    }

    @Test
    void builderRefusesUnsafeConfiguration() {
        assertThatThrownBy(() -> AccessTokenVerifier.builder().issuer("http://auth.example.com/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> AccessTokenVerifier.builder().issuer("https://auth.example.com/?x=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.verifier().algorithms("HS256").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("hmacSecret");
        assertThatThrownBy(() -> issuer.verifier().hmacSecret(new byte[16]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bits");
        assertThatThrownBy(() -> issuer.verifier().algorithms("none"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> issuer.verifier().algorithms("HS384"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessTokenVerifier.builder().issuer("https://auth.example.com/").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void acceptsLoopbackHttpIssuers() {
        for (String loopback : List.of("http://localhost:8080/", "http://127.0.0.1:8080/", "http://[::1]:8080/",
                "https://auth.example.com/")) {
            AccessTokenVerifier.builder().issuer(loopback).audience(TestIssuer.API).build().close();
        }
    }

    private String signed(JWSHeader header, com.nimbusds.jose.JWSSigner signer) throws JOSEException {
        JWTClaimsSet claims = issuer.claims().build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static void assertReason(ThrowingCall call, TokenVerificationException.Reason reason) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(TokenVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }
}
