package dev.latchkey.verifier;

import com.nimbusds.jwt.JWTClaimsSet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static dev.latchkey.verifier.TokenVerificationException.Reason.EXPIRED;
import static dev.latchkey.verifier.TokenVerificationException.Reason.ISSUED_IN_FUTURE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING_CLAIM;
import static dev.latchkey.verifier.TokenVerificationException.Reason.NOT_YET_VALID;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_AUDIENCE;
import static dev.latchkey.verifier.TokenVerificationException.Reason.WRONG_ISSUER;

/**
 * The claim rules of RFC 9068 §4 and Auth0's "validate access tokens" steps: {@code iss} exactly the issuer,
 * {@code aud} (string or array) naming this API, {@code sub} present, {@code exp} present and not passed,
 * {@code nbf} and {@code iat} not in the future, each time with a leeway for clock skew.
 */
final class ClaimsCheck {

    private final String issuer;
    private final String audience;
    private final Duration leeway;
    private final Clock clock;

    ClaimsCheck(String issuer, String audience, Duration leeway, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.leeway = leeway;
        this.clock = clock;
    }

    void check(JWTClaimsSet claims) throws TokenVerificationException {
        // RFC 7519 §4.1.1, OIDC Discovery §4.3: compared as strings, trailing slash included.
        if (claims.getIssuer() == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no issuer (iss)");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenVerificationException(WRONG_ISSUER, "The access token was issued by another issuer");
        }
        // RFC 7519 §4.1.3: the recipient must identify itself with a value in aud. An ID token names the
        // client here, not the API, so it stops at this check.
        List<String> aud = claims.getAudience();
        if (aud.isEmpty()) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no audience (aud)");
        }
        if (!aud.contains(audience)) {
            throw new TokenVerificationException(WRONG_AUDIENCE, "The access token is not meant for this API");
        }
        if (claims.getSubject() == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no subject (sub)");
        }
        Instant now = clock.instant();
        checkTimes(claims.getExpirationTime(), claims.getNotBeforeTime(), claims.getIssueTime(), now);
    }

    private void checkTimes(Date exp, Date nbf, Date iat, Instant now) throws TokenVerificationException {
        // RFC 9068 §2.2: exp is required; RFC 7519 §4.1.4: now must be before it.
        if (exp == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no expiry (exp)");
        }
        if (!now.minus(leeway).isBefore(exp.toInstant())) {
            throw new TokenVerificationException(EXPIRED, "The access token expired");
        }
        // RFC 7519 §4.1.5.
        if (nbf != null && now.plus(leeway).isBefore(nbf.toInstant())) {
            throw new TokenVerificationException(NOT_YET_VALID, "The access token is not valid yet");
        }
        if (iat != null && now.plus(leeway).isBefore(iat.toInstant())) {
            throw new TokenVerificationException(ISSUED_IN_FUTURE, "The access token was issued in the future");
        }
    }
}
