package dev.latchkey.server.peers;

import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.JwkProviderBuilder;
import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.RSAKeyProvider;
import dev.latchkey.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Auth0's own Java validators, {@code com.auth0:java-jwt} with {@code com.auth0:jwks-rsa}, verify
 * our client-credentials tokens with nothing but the JWKS the discovery document points to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JavaJwtPeerTest {

    private static final String ORDERS = "https://orders.example/api";
    private static final String LEDGER = "https://ledger.example/api";

    private TestServer server;
    private MachineClient client;
    private JwkProvider jwks;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        server.createApi("{\"identifier\":\"" + ORDERS + "\",\"name\":\"Orders\","
                + "\"scopes\":[{\"value\":\"read:orders\",\"description\":\"Read orders\"}]}");
        server.createApi("{\"identifier\":\"" + LEDGER + "\",\"name\":\"Ledger\",\"signing_alg\":\"PS256\","
                + "\"scopes\":[{\"value\":\"read:ledger\",\"description\":\"Read the ledger\"}]}");
        client = MachineClient.register(server, "java-jwt peer")
                .grant(ORDERS, "read:orders")
                .grant(LEDGER, "read:ledger");
        // RFC 8414 §3 / OIDC Discovery §4: the validator finds the keys through the issuer's metadata.
        String jwksUri = TestServer.json(server.get(".well-known/openid-configuration")).path("jwks_uri").asText();
        assertThat(jwksUri).isEqualTo(server.issuer() + ".well-known/jwks.json");
        jwks = new JwkProviderBuilder(URI.create(jwksUri).toURL()).cached(false).rateLimited(false).build();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void rs256TokenVerifiesWithIssuerAndAudience() {
        String token = client.token(ORDERS);

        // RFC 7519 §7.2: signature first, then the claims the API relies on (§4.1.1 iss, §4.1.3 aud).
        DecodedJWT jwt = JWT.require(Algorithm.RSA256(keysFromJwks()))
                .withIssuer(server.issuer())
                .withAudience(ORDERS)
                .withSubject(client.clientId() + "@clients")
                .withClaim("azp", client.clientId())
                .withClaim("gty", "client-credentials")
                .withClaim("scope", "read:orders")
                .acceptLeeway(5)
                .build()
                .verify(token);

        assertThat(jwt.getAlgorithm()).isEqualTo("RS256");
        assertThat(jwt.getType()).isEqualTo("JWT");
        assertThat(jwt.getId()).isNotBlank();
        assertThat(jwt.getExpiresAtAsInstant()).isAfter(jwt.getIssuedAtAsInstant());
    }

    @Test
    void ps256TokenVerifiesWithThePssVariantOfThePublishedKey() throws Exception {
        String token = client.token(LEDGER);

        DecodedJWT jwt = JWT.require(Algorithm.RSA256PSS(keysFromJwks()))
                .withIssuer(server.issuer())
                .withAudience(LEDGER)
                .withClaim("scope", "read:ledger")
                .build()
                .verify(token);

        assertThat(jwt.getAlgorithm()).isEqualTo("PS256");
        // jwks-rsa finds the key by kid; the JWK under that kid says it is for PS256 (RFC 7517 §4.4).
        assertThat(jwks.get(jwt.getKeyId()).getAlgorithm()).isEqualTo("PS256");
    }

    @Test
    void tokenForAnotherApiIsRejectedByAudience() {
        String token = client.token(LEDGER);

        assertThatThrownBy(() -> JWT.require(Algorithm.RSA256PSS(keysFromJwks()))
                .withIssuer(server.issuer()).withAudience(ORDERS).build().verify(token))
                .isInstanceOf(IncorrectClaimException.class);
    }

    @Test
    void rs256VerifierRefusesAPs256Token() {
        // RFC 8725 §3.1: the verifier fixes the algorithm; the token's header cannot change it.
        String token = client.token(LEDGER);

        assertThatThrownBy(() -> JWT.require(Algorithm.RSA256(keysFromJwks())).build().verify(token))
                .isInstanceOf(AlgorithmMismatchException.class);
    }

    @Test
    void alteredClaimsBreakTheSignature() {
        String[] parts = client.token(ORDERS).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]))
                .replace("\"scope\":\"read:orders\"", "\"scope\":\"write:orders\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        assertThatThrownBy(() -> JWT.require(Algorithm.RSA256(keysFromJwks())).build().verify(forged))
                .isInstanceOf(SignatureVerificationException.class);
    }

    private RSAKeyProvider keysFromJwks() {
        return new RSAKeyProvider() {
            @Override
            public RSAPublicKey getPublicKeyById(String kid) {
                try {
                    return (RSAPublicKey) jwks.get(kid).getPublicKey();
                } catch (Exception e) {
                    throw new IllegalStateException("No key " + kid + " in the JWKS", e);
                }
            }

            @Override
            public RSAPrivateKey getPrivateKey() {
                return null;
            }

            @Override
            public String getPrivateKeyId() {
                return null;
            }
        };
    }
}
