package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.SigningAlgorithm;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs JWTs with the ring's current RSA key (RS256, PS256) or an HS256 secret. Headers are built
 * once per (alg, kid, typ) and kept in their serialised form, and RSA signers once per key, so
 * each token costs one signature and one claims serialisation.
 */
public final class TokenSigner {

    private final SigningKeyRing ring;
    private final Map<String, JWSHeader> headers = new ConcurrentHashMap<>();
    private final Map<String, JWSSigner> rsaSigners = new ConcurrentHashMap<>();

    public TokenSigner(SigningKeyRing ring) {
        this.ring = ring;
    }

    /** Signs with the current RSA key; {@code typ} is {@code JWT} or {@code at+jwt}. */
    public String signRsa(JWTClaimsSet claims, SigningAlgorithm alg, JOSEObjectType typ) {
        SigningKey key = ring.current();
        String kid = alg == SigningAlgorithm.PS256 ? key.kid() + SigningKeyRing.PS256_KID_SUFFIX : key.kid();
        JWSSigner signer = rsaSigners.computeIfAbsent(key.kid(), k -> rsaSigner(key.jwk()));
        return sign(claims, header(alg.jws(), kid, typ), signer);
    }

    /** Signs with a shared secret (an API's signing secret, a client secret for ID tokens). */
    public String signHmac(JWTClaimsSet claims, String secret, JOSEObjectType typ) {
        try {
            return sign(claims, header(JWSAlgorithm.HS256, null, typ),
                    new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("The HS256 secret is shorter than 256 bits", e);
        }
    }

    private static String sign(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a token failed", e);
        }
        return jwt.serialize();
    }

    private JWSHeader header(JWSAlgorithm alg, String kid, JOSEObjectType typ) {
        String cacheKey = alg.getName() + '|' + kid + '|' + typ;
        return headers.computeIfAbsent(cacheKey, k -> {
            JWSHeader built = new JWSHeader.Builder(alg).keyID(kid).type(typ).build();
            try {
                // Parsed from its own base64url so serialising a token reuses these bytes.
                return JWSHeader.parse(built.toBase64URL());
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static JWSSigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key.toRSAPrivateKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing key " + key.getKeyID() + " has no private part", e);
        }
    }
}
