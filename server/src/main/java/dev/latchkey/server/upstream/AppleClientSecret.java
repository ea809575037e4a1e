package dev.latchkey.server.upstream;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.identity.AppleSigningKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The client secret Sign in with Apple takes at its token endpoint: not a stored string but a short-lived JWT
 * that the application signs with its private key (ES256, the {@code .p8} key Apple hands out), naming the
 * team ({@code iss}), the Services ID ({@code sub}) and Apple ({@code aud}), with the key's id as {@code kid}.
 * Auth0's apple connection keeps that key as {@code app_secret} (a PEM) beside {@code team_id} and {@code kid};
 * Latchkey seals it like any connection secret ({@link AppleSigningKey}) and signs a fresh secret for each call.
 */
public final class AppleClientSecret {

    /** Apple accepts up to six months; a secret made per call needs only minutes. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    private AppleClientSecret() {
    }

    /** A client secret for {@code servicesId} of {@code teamId}, for the provider {@code audience}, valid from {@code now}. */
    public static String sign(String pem, String keyId, String teamId, String servicesId, String audience, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(teamId)
                .subject(servicesId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(), claims);
        try {
            jwt.sign(new ECDSASigner(AppleSigningKey.read(pem)));
        } catch (JOSEException e) {
            throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
                    "The connection's app_secret cannot sign Apple's client secret: " + e.getMessage());
        }
        return jwt.serialize();
    }
}
