package dev.latchkey.server.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.Base64URL;
import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyRing;
import dev.latchkey.server.registry.SigningAlgorithm;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs JWTs with the ring's current RSA key (RS256, PS256) or an HS256 secret. Headers are built
 * once per (alg, kid, typ) and kept in their serialised form, signers once per current key (the
 * RSA headers go with them, so a rotation drops both), and
 * the claims are base64url-encoded with the JDK's encoder, so each token costs one signature, one
 * claims serialisation and little else.
 */
public final class TokenSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKeyRing ring;
    /** HS256 headers carry no kid: one per typ. */
    private final Map<String, JWSHeader> hmacHeaders = new ConcurrentHashMap<>();
    private volatile RsaSigners rsaSigners;

    public TokenSigner(SigningKeyRing ring) {
        this.ring = ring;
    }

    /** Signs with the current RSA key; {@code typ} is {@code JWT} or {@code at+jwt}. */
    public String signRsa(JWTClaimsSet claims, SigningAlgorithm alg, JOSEObjectType typ) {
        SigningKey key = ring.current();
        String kid = alg == SigningAlgorithm.PS256 ? key.kid() + SigningKeyRing.PS256_KID_SUFFIX : key.kid();
        RsaSigners signers = rsaSigners;
        if (signers == null || !signers.kid().equals(key.kid())) {
            // The current key changed (a rotation): signers for the old key are dropped with it.
            signers = RsaSigners.of(key);
            rsaSigners = signers;
        }
        return sign(claims, header(signers.headers(), alg.jws(), kid, typ),
                alg == SigningAlgorithm.PS256 ? signers.ps256() : signers.rs256());
    }

    /** Signs with a shared secret (an API's signing secret, a client secret for ID tokens). */
    public String signHmac(JWTClaimsSet claims, String secret, JOSEObjectType typ) {
        try {
            return sign(claims, header(hmacHeaders, JWSAlgorithm.HS256, null, typ),
                    new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException("The HS256 secret is shorter than 256 bits", e);
        }
    }

    private static String sign(JWTClaimsSet claims, JWSHeader header, JWSSigner signer) {
        Payload payload = new Payload(new Base64URL(
                BASE64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))));
        JWSObject jws = new JWSObject(header, payload);
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a token failed", e);
        }
        return jws.serialize();
    }

    private static JWSHeader header(Map<String, JWSHeader> headers, JWSAlgorithm alg, String kid,
                                    JOSEObjectType typ) {
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

    /** The signers of one key: RS256 on the fast path, PS256 through Nimbus. */
    private record RsaSigners(String kid, JWSSigner rs256, JWSSigner ps256, Map<String, JWSHeader> headers) {
        static RsaSigners of(SigningKey key) {
            try {
                PrivateKey privateKey = key.jwk().toRSAPrivateKey();
                return new RsaSigners(key.kid(), new Rs256Signer(privateKey), new RSASSASigner(privateKey),
                        new ConcurrentHashMap<>());
            } catch (JOSEException e) {
                throw new IllegalStateException("Signing key " + key.kid() + " has no private part", e);
            }
        }
    }
}
