package dev.latchkey.server.management;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latchkey.server.http.BearerToken;
import dev.latchkey.server.keys.SigningKeyRing;

import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Verifies the bearer token of a Management API call: a JWT signed by this server's key ring,
 * issued by this issuer, for the audience {@code <issuer>api/v2/}, not expired (RFC 6750 §2.1).
 */
public final class ManagementAuthenticator {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String audience;

    public ManagementAuthenticator(String issuer, String audience, SigningKeyRing ring) {
        this.audience = audience;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256),
                (selector, context) -> selector.select(ring.publicJwks())));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT),
                null));
    }

    public ManagementCaller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw ManagementException.unauthorized("Missing authentication");
        }
        String token = BearerToken.of(authorizationHeader).orElseThrow(() ->
                ManagementException.unauthorized("Bad HTTP authentication header format"));
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            throw ManagementException.unauthorized(claimProblem(e));
        } catch (ParseException | BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw ManagementException.unauthorized("Invalid token");
        }
        Object scope = claims.getClaim("scope");
        Set<String> scopes = scope instanceof String s && !s.isBlank()
                ? new LinkedHashSet<>(Arrays.asList(s.trim().split("\\s+")))
                : Set.of();
        Object azp = claims.getClaim("azp") != null ? claims.getClaim("azp") : claims.getClaim("client_id");
        return new ManagementCaller(claims.getSubject(), azp == null ? null : azp.toString(), scopes);
    }

    private String claimProblem(BadJWTException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Expired")) {
            return "Expired token";
        }
        if (message.toLowerCase(java.util.Locale.ROOT).contains("aud")) {
            return "Bad audience: the token is not for " + audience;
        }
        return "Invalid token";
    }
}
