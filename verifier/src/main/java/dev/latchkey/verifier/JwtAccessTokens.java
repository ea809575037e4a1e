package dev.latchkey.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *   <li>claims: strict JSON, then {@code iss}, {@code aud}, {@code sub}, {@code exp}, {@code nbf}, {@code iat}
 *       ({@link ClaimsCheck}) and the types of {@code scope} and {@code permissions}.</li>
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
            if (!verifier.verify(header.header(), jws.signingInput(), new Base64URL(jws.signature()))) {
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
        String json = new Base64URL(payload).decodeToString();
        Map<String, Object> members;
        JWTClaimsSet claims;
        try {
            members = JSONObjectUtils.parse(json);
            claims = JWTClaimsSet.parse(members);
        } catch (ParseException e) {
            throw new TokenVerificationException(MALFORMED, "The access token's claims are not valid JSON", e);
        }
        if (DuplicateMembers.worthChecking(members) && DuplicateMembers.in(json)) {
            throw new TokenVerificationException(MALFORMED, "The access token's claims have duplicate members");
        }
        claimsCheck.check(claims);
        return new VerifiedToken(members, claims.getSubject(), claims.getIssuer(), claims.getAudience(),
                claims.getExpirationTime().toInstant(), scopesOf(members), permissionsOf(members), false);
    }

    /** RFC 9068 §2.2.3: {@code scope} is one space-separated string. */
    private static Set<String> scopesOf(Map<String, Object> members) throws TokenVerificationException {
        Object scope = members.get("scope");
        if (scope != null && !(scope instanceof String)) {
            throw new TokenVerificationException(MALFORMED, "The access token's scope is not a string");
        }
        return VerifiedToken.splitScope((String) scope);
    }

    /** Auth0 RBAC: {@code permissions} is an array of strings. */
    private static Set<String> permissionsOf(Map<String, Object> members) throws TokenVerificationException {
        Object permissions = members.get("permissions");
        if (permissions == null) {
            return Set.of();
        }
        if (permissions instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return Set.copyOf(list.stream().map(String.class::cast).toList());
        }
        throw new TokenVerificationException(MALFORMED, "The access token's permissions are not strings");
    }
}
