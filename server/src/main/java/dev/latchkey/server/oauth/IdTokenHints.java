package dev.latchkey.server.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.token.IdTokenFormat;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Verifies an {@code id_token_hint} (OIDC RP-Initiated Logout 1.0 §2): an ID token this server
 * issued to an existing client, signed with the algorithm that client's ID tokens use
 * ({@link IdTokenFormat#jws}; no other algorithm is tried, RFC 8725 §3.1): the key ring's RS256 or
 * PS256, or HS256 with the client secret. It may have expired: an application logs out with the
 * ID token it has, however old.
 */
public final class IdTokenHints {

    private final String issuer;
    private final SigningKeyRing ring;
    private final RegistryLookups lookups;
    private final MasterKey masterKey;

    public IdTokenHints(String issuer, SigningKeyRing ring, RegistryLookups lookups, MasterKey masterKey) {
        this.issuer = issuer;
        this.ring = ring;
        this.lookups = lookups;
        this.masterKey = masterKey;
    }

    /** The hint's claims when it is an ID token this server signed; empty otherwise. */
    public Optional<JWTClaimsSet> verify(String hint) {
        try {
            SignedJWT jwt = SignedJWT.parse(hint);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getAudience().size() != 1) {
                return Optional.empty();
            }
            Optional<Client> client = lookups.client(claims.getAudience().get(0));
            if (client.isEmpty() || !IdTokenFormat.jws(client.get()).equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            JWSVerifier verifier = verifier(jwt, client.get());
            return verifier != null && jwt.verify(verifier) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** A string claim of verified claims, or null when absent or not a string (never a 500). */
    public static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private JWSVerifier verifier(SignedJWT jwt, Client client) throws JOSEException {
        if (jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.HS256)) {
            if (client.secret() == null) {
                return null;
            }
            String secret = masterKey.openString(client.secret().sealed(), IdTokenFormat.CLIENT_SECRET_PURPOSE);
            return new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        }
        String kid = jwt.getHeader().getKeyID();
        List<JWK> keys = ring.publicJwks().getKeys();
        for (JWK key : keys) {
            if (key.getKeyID().equals(kid) && key instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa);
            }
        }
        return null;
    }
}
