package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.latchkey.verifier.TokenVerificationException.Reason.BAD_SIGNATURE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.DISALLOWED_ALGORITHM;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.UNKNOWN_KEY;

/**
 * Verifies a JWT access token, in this order:
 * <ol>
 *   <li>shape: three non-empty base64url segments ({@link CompactJws});</li>
 *   <li>header: strict JSON, allowed {@code alg}, access-token {@code typ}, no {@code crit} ({@link HeaderCheck});</li>
 *   <li>key: by {@code kid} from the issuer's JWKS only, or the configured HS256 secret ({@link #verifierFor});</li>
 *   <li>signature, before any claim is read;</li>
 *   <li>claims: strict JSON ({@link StrictJson}), typed ({@link TokenClaims}), then {@code iss}, {@code aud},
 *       {@code sub}, {@code exp}, {@code nbf}, {@code iat} ({@link ClaimsCheck}).</li>
 * </ol>
 */
final class JwtAccessTokens {

    private final HeaderCheck headers;
    private final KeySource keys;
    private final JWSVerifier hmac;
    private final ClaimsCheck claimsCheck;

    /** {@code hmac} verifies HS256 with the configured secret; null when HS256 is not allowed. */
    JwtAccessTokens(HeaderCheck headers, KeySource keys, JWSVerifier hmac, ClaimsCheck claimsCheck) {
        this.headers = headers;
        this.keys = keys;
        this.hmac = hmac;
        this.claimsCheck = claimsCheck;
    }

    VerifiedToken verify(String token) throws TokenVerificationException {
        CompactJws jws = CompactJws.split(token);
        HeaderCheck.Accepted header = headers.check(jws.header());
        JWSVerifier verifier = verifierFor(header);
        try {
            if (!verifier.verify(header.header(), jws.signingInput(), new JdkDecodedBase64URL(jws.signature()))) {
                throw new TokenVerificationException(BAD_SIGNATURE, "The access token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw new TokenVerificationException(BAD_SIGNATURE, "The access token's signature is invalid", e);
        }
        headers.remember(jws.header(), header);
        return claimsOf(jws.payload());
    }

    /**
     * RFC 8725 §3.1, §3.10: HS256 only ever uses the configured secret, never a public key; every other
     * algorithm uses the JWKS key named by {@code kid}, and only if that key may be used with it.
     */
    private JWSVerifier verifierFor(HeaderCheck.Accepted header) throws TokenVerificationException {
        if (JWSAlgorithm.HS256.equals(header.algorithm())) {
            return hmac; // HeaderCheck lets HS256 through only when a secret is configured
        }
        if (header.kid() == null) {
            throw new TokenVerificationException(UNKNOWN_KEY, "The access token names no key (kid)");
        }
        SigningKeys held = keys.current();
        SigningKeys.Key key = held.find(header.kid());
        if (key == null) {
            key = keys.afterUnknownKid(held).find(header.kid());
        }
        if (key == null) {
            throw new TokenVerificationException(UNKNOWN_KEY, "The access token was signed with an unknown key");
        }
        if (!key.algorithms().contains(header.algorithm())) {
            throw new TokenVerificationException(DISALLOWED_ALGORITHM,
                    "The access token's algorithm does not match its key");
        }
        return key.verifier();
    }

    private VerifiedToken claimsOf(String payload) throws TokenVerificationException {
        String json = new String(new JdkDecodedBase64URL(payload).decode(), StandardCharsets.UTF_8);
        Map<String, Object> members;
        try {
            members = StrictJson.parseObject(json);
        } catch (IOException e) {
            throw new TokenVerificationException(MALFORMED,
                    "The access token's claims are not a JSON object with distinct members", e);
        }
        TokenClaims claims = TokenClaims.of(members);
        claimsCheck.check(claims);
        return VerifiedToken.ofJwt(claims);
    }
}
