package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.latchkey.verifier.AccessTokenVerifierTest.assertReason;
import static dev.latchkey.verifier.TokenVerificationException.Reason.BAD_SIGNATURE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.DISALLOWED_ALGORITHM;
import static dev.latchkey.verifier.TokenVerificationException.Reason.EXPIRED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.NOT_YET_VALID;
import static dev.latchkey.verifier.TokenVerificationException.Reason.OVERSIZED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.UNKNOWN_KEY;
import static dev.latchkey.verifier.TokenVerificationException.Reason.UNSUPPORTED_CRITICAL_HEADER;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_AUDIENCE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_ISSUER;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens an attacker would try; each must be refused for the right reason, and none may cause a fetch elsewhere. */
class HostileTokensTest {

    private TestIssuer issuer;
    private AccessTokenVerifier verifier;
    private RSAKey attackerKey;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        verifier = issuer.verifier().build();
        verifier.verify(issuer.token()); // keys are held from here on
        attackerKey = TestKeys.rsa(2, "attacker");
    }

    @AfterEach
    void stop() {
        verifier.close();
        issuer.close();
    }

    /** RFC 8725 §2.1, §3.1: an unsecured JWS (alg none) is never accepted, with or without a signature part. */
    @Test
    void refusesAlgNone() {
        String header = json("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = json(issuer.claims().build().toString());

        assertReason(() -> verifier.verify(header + "." + payload + "."), MALFORMED);
        assertReason(() -> verifier.verify(header + "." + payload + ".c2lnbmF0dXJl"), DISALLOWED_ALGORITHM);
        assertReason(() -> verifier.verify(json("{\"alg\":\"None\",\"typ\":\"JWT\"}") + "." + payload + ".eA"),
                DISALLOWED_ALGORITHM);
    }

    /**
     * RFC 8725 §2.1, §3.1: the "algorithm confusion" attack signs HS256 with the RSA public key as the secret,
     * hoping the verifier feeds its public key to an HMAC check.
     */
    @Test
    void refusesHs256SignedWithTheRsaPublicKey() throws Exception {
        RSAKey publicKey = issuer.currentKey().toPublicJWK();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.encode(publicKey.toPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        List<byte[]> secrets = List.of(pem.getBytes(StandardCharsets.US_ASCII),
                publicKey.getModulus().decode(), publicKey.toJSONString().getBytes(StandardCharsets.UTF_8));
        byte[] apiSecret = "the real API signing secret, 32+ bytes".getBytes(StandardCharsets.US_ASCII);

        try (AccessTokenVerifier withHs256 = issuer.verifier().hmacSecret(apiSecret).build()) {
            for (byte[] secret : secrets) {
                String forged = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT)
                        .keyID(publicKey.getKeyID()).build(), issuer.claims().build(), new MACSigner(secret));

                assertReason(() -> verifier.verify(forged), DISALLOWED_ALGORITHM);
                assertReason(() -> withHs256.verify(forged), BAD_SIGNATURE);
            }
        }
    }

    /** RFC 8725 §3.10: kid is only ever a map key, never a path or a query. */
    @Test
    void refusesKidWithPathTraversalOrSql() {
        for (String kid : List.of("../../../../../../etc/passwd", "/dev/null", "' OR '1'='1' --",
                "key-0'; DROP TABLE keys; --", "key-0\u0000", "")) {
            String forged = sign(issuer.header().keyID(kid).build(), issuer.claims().build(), attackerKey);
            assertReason(() -> verifier.verify(forged), UNKNOWN_KEY);
        }
    }

    /** RFC 8725 §3.10, RFC 7515 §4.1.2 and §4.1.5: jku and x5u are never fetched. */
    @Test
    void neverFetchesJkuOrX5u() throws Exception {
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger fetched = new AtomicInteger();
        elsewhere.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            URI there = URI.create("http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/jwks.json");
            for (String kid : List.of("attacker", issuer.currentKey().getKeyID())) {
                String viaJku = sign(issuer.header().keyID(kid).jwkURL(there).build(), issuer.claims().build(),
                        withKid(attackerKey, kid));
                String viaX5u = sign(issuer.header().keyID(kid).x509CertURL(there).build(), issuer.claims().build(),
                        withKid(attackerKey, kid));
                TokenVerificationException.Reason expected = kid.equals("attacker") ? UNKNOWN_KEY : BAD_SIGNATURE;

                assertReason(() -> verifier.verify(viaJku), expected);
                assertReason(() -> verifier.verify(viaX5u), expected);
            }
            assertThat(fetched.get()).isZero();
        } finally {
            elsewhere.stop(0);
        }
    }

    /** RFC 8725 §3.10, RFC 7515 §4.1.3 and §4.1.6: keys carried in the token itself (jwk, x5c) are ignored. */
    @Test
    void ignoresKeysEmbeddedInTheHeader() {
        String legitKid = issuer.currentKey().getKeyID();
        RSAKey attacker = withKid(attackerKey, legitKid);
        String withJwk = sign(issuer.header().jwk(attacker.toPublicJWK()).build(), issuer.claims().build(), attacker);
        String withJwkNoKid = sign(issuer.header().keyID(null).jwk(attacker.toPublicJWK()).build(),
                issuer.claims().build(), attacker);
        String withX5c = sign(issuer.header().x509CertChain(List.of(Base64.encode("not a certificate")))
                .build(), issuer.claims().build(), attacker);

        assertReason(() -> verifier.verify(withJwk), BAD_SIGNATURE);
        assertReason(() -> verifier.verify(withJwkNoKid), UNKNOWN_KEY);
        assertReason(() -> verifier.verify(withX5c), BAD_SIGNATURE);
    }

    /** RFC 7515 §4.1.11: a critical extension the recipient does not understand makes the JWS invalid. */
    @Test
    void refusesUnknownCriticalHeader() {
        JWSHeader header = issuer.header().criticalParams(Set.of("urn:example:must-understand"))
                .customParam("urn:example:must-understand", true).build();
        String token = issuer.sign(header, issuer.claims().build());

        assertReason(() -> verifier.verify(token), UNSUPPORTED_CRITICAL_HEADER);
    }

    /** RFC 7519 §4.1.4, §4.1.5, beyond the 60 s leeway. */
    @Test
    void refusesExpiredAndNotYetValid() {
        Instant now = Instant.now();
        assertReason(() -> verifier.verify(issuer.token(c -> c.issueTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(61))))), EXPIRED);
        assertReason(() -> verifier.verify(issuer.token(c -> c.notBeforeTime(Date.from(now.plusSeconds(120))))),
                NOT_YET_VALID);
    }

    /** RFC 7519 §4.1.1, §4.1.3; RFC 8725 §3.8, §3.9. */
    @Test
    void refusesWrongIssuerAndWrongAudience() {
        assertReason(() -> verifier.verify(issuer.token(c -> c.issuer("https://evil.example.com/"))), WRONG_ISSUER);
        String withoutSlash = issuer.issuer().substring(0, issuer.issuer().length() - 1);
        assertReason(() -> verifier.verify(issuer.token(c -> c.issuer(withoutSlash))), WRONG_ISSUER);
        assertReason(() -> verifier.verify(issuer.token(c -> c.audience("https://example.com/other-api"))),
                WRONG_AUDIENCE);
        assertReason(() -> verifier.verify(issuer.token(c -> c.audience(List.of("https://example.com/other-api",
                issuer.issuer() + "userinfo")))), WRONG_AUDIENCE);
    }

    /** RFC 8725 §3.11, §2.8: an ID token (aud = client id, nonce, at_hash, no scope) is not an access token. */
    @Test
    void refusesIdToken() {
        JWTClaimsSet idToken = new JWTClaimsSet.Builder()
                .issuer(issuer.issuer()).subject("auth0|123456").audience("my_client_id")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(36000)))
                .claim("nonce", "n-0S6_WzA2Mj").claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")
                .claim("name", "Jane Doe").build();

        assertReason(() -> verifier.verify(issuer.sign(issuer.header().build(), idToken)), WRONG_AUDIENCE);
    }

    /** RFC 8725 §3.8: a kid is only meaningful with its issuer; another issuer's key with the same kid fails. */
    @Test
    void refusesOtherIssuersTokenWithCollidingKid() throws Exception {
        try (TestIssuer other = new TestIssuer(1)) {
            other.rotate(TestKeys.rsa(1, issuer.currentKey().getKeyID()), true);
            String theirs = other.token();
            String impersonating = other.token(c -> c.issuer(issuer.issuer()));

            assertReason(() -> verifier.verify(theirs), BAD_SIGNATURE);
            assertReason(() -> verifier.verify(impersonating), BAD_SIGNATURE);
        }
    }

    @Test
    void refusesTruncatedTokens() {
        String token = issuer.token();
        for (int cut : List.of(1, 10, token.indexOf('.') + 1, token.lastIndexOf('.'), token.lastIndexOf('.') + 1,
                token.length() - 1, token.length() - 4)) {
            assertThatThrownBy(() -> verifier.verify(token.substring(0, token.length() - cut)))
                    .isInstanceOf(TokenVerificationException.class);
        }
        assertReason(() -> verifier.verify(token.substring(0, token.length() - 10)), BAD_SIGNATURE);
    }

    /** Refused on length alone, even when validly signed: nothing over 64 KB is decoded (resource exhaustion). */
    @Test
    void refusesOversizedTokensBeforeParsing() {
        String huge = issuer.token(c -> c.claim("padding", "x".repeat(70_000)));
        assertReason(() -> verifier.verify(huge), OVERSIZED);
        assertReason(() -> verifier.verify("!".repeat(CompactJws.MAX_LENGTH + 1)), OVERSIZED);
    }

    /**
     * RFC 7515 §2, §7.1: segments are unpadded base64url. Nimbus's decoder skips foreign characters, so a
     * token with one inserted would otherwise verify like the original.
     */
    @Test
    void refusesNonBase64UrlTokens() {
        String token = issuer.token();
        int inPayload = token.indexOf('.') + 5;
        for (String foreign : List.of("*", "+", "/", "=", " ", "\n", "é", "%2E")) {
            String tampered = token.substring(0, inPayload) + foreign + token.substring(inPayload);
            assertReason(() -> verifier.verify(tampered), MALFORMED);
        }
        assertReason(() -> verifier.verify(token + "=="), MALFORMED);
    }

    /**
     * RFC 4648 §3.5: a 256-byte RSA signature ends in a character with 4 unused bits. Setting them gives a
     * different string that decodes to the same signature; it is refused, so a token has one spelling only.
     */
    @Test
    void refusesNonCanonicalBase64Url() throws Exception {
        String token = issuer.token();
        assertThat(token.length() - token.lastIndexOf('.') - 1).isEqualTo(342);
        char last = token.charAt(token.length() - 1);
        String index = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String respelled = token.substring(0, token.length() - 1) + index.charAt(index.indexOf(last) | 0x01);

        assertThat(new Base64URL(respelled.substring(token.lastIndexOf('.') + 1)).decode())
                .isEqualTo(new Base64URL(token.substring(token.lastIndexOf('.') + 1)).decode());
        assertReason(() -> verifier.verify(respelled), MALFORMED);
        assertThat(verifier.verify(token).subject()).isEqualTo("auth0|123456");
    }

    /**
     * RFC 7515 §5.2 step 4, RFC 7519 §7.2 step 3, RFC 8259 §4: duplicate member names in the header or the
     * claims, at any depth, are refused even with a valid signature, since parsers disagree on which one wins.
     */
    @Test
    void refusesDuplicateMembers() {
        String kid = issuer.currentKey().getKeyID();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = issuer.claims().build().toString();
        String body = claims.substring(1);

        assertReason(() -> verifier.verify(raw("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"typ\":\"JWT\",\"kid\":\"" + kid
                + "\"}", claims)), MALFORMED);
        assertReason(() -> verifier.verify(raw("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid
                + "\",\"jwk\":{\"kty\":\"RSA\",\"kty\":\"oct\"}}", claims)), MALFORMED);
        assertReason(() -> verifier.verify(raw(header, "{\"sub\":\"admin\"," + body)), MALFORMED);
        assertReason(() -> verifier.verify(raw(header, "{\"cnf\":{\"jkt\":\"a\",\"jkt\":\"b\"}," + body)),
                MALFORMED);
        assertReason(() -> verifier.verify(raw(header, "{\"x\":[{\"a\":1,\"a\":2}]," + body)), MALFORMED);
    }

    @Test
    void validRawTokenPassesSoTheDuplicateChecksAreMeaningful() throws Exception {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + issuer.currentKey().getKeyID() + "\"}";
        String claims = issuer.claims().build().toString();

        assertThat(verifier.verify(raw(header, "{\"cnf\":{\"jkt\":\"a\"}," + claims.substring(1))).subject())
                .isEqualTo("auth0|123456");
    }

    /** RFC 8725 §3.11, RFC 9068 §4: only JWT (Auth0 profile) and at+jwt (RFC 9068) are access tokens. */
    @Test
    void refusesOtherTypes() {
        for (String typ : List.of("JOSE", "id_token+jwt", "logout+jwt", "secevent+jwt", "dpop+jwt", "")) {
            String token = issuer.sign(issuer.header().type(new JOSEObjectType(typ)).build(), issuer.claims().build());
            assertReason(() -> verifier.verify(token), WRONG_TYPE);
        }
        assertReason(() -> verifier.verify(issuer.sign(issuer.header().type(null).build(), issuer.claims().build())),
                WRONG_TYPE);
    }

    @Test
    void refusesWronglyTypedClaims() {
        assertReason(() -> verifier.verify(issuer.token(c -> c.claim("scope", List.of("read:patients")))), MALFORMED);
        assertReason(() -> verifier.verify(issuer.token(c -> c.claim("permissions", "read:patients"))), MALFORMED);
        assertReason(() -> verifier.verify(issuer.token(c -> c.claim("exp", "tomorrow"))), MALFORMED);
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + issuer.currentKey().getKeyID() + "\"}";
        String withoutAud = issuer.claims().audience((String) null).build().toString().substring(1);
        assertReason(() -> verifier.verify(raw(header, "{\"aud\":{\"a\":1}," + withoutAud)), MALFORMED);
    }

    /** Forged kids never turn into more than one JWKS fetch per refetch interval. */
    @Test
    void forgedKidsDoNotMultiplyFetches() {
        int before = issuer.requests(TestIssuer.JWKS_PATH);
        for (int i = 0; i < 200; i++) {
            String forged = sign(issuer.header().keyID("forged-" + i).build(), issuer.claims().build(), attackerKey);
            assertReason(() -> verifier.verify(forged), UNKNOWN_KEY);
        }
        assertThat(issuer.requests(TestIssuer.JWKS_PATH) - before).isLessThanOrEqualTo(1);
    }

    private static String json(String value) {
        return Base64URL.encode(value.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Signs the exact JSON given, byte for byte, with the issuer's key. */
    private String raw(String headerJson, String claimsJson) {
        String signingInput = json(headerJson) + "." + json(claimsJson);
        try {
            Base64URL signature = new RSASSASigner(issuer.currentKey())
                    .sign(new JWSHeader(JWSAlgorithm.RS256), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) {
        try {
            return sign(header, claims, new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey withKid(RSAKey key, String kid) {
        return new RSAKey.Builder(key).keyID(kid).build();
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, com.nimbusds.jose.JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
