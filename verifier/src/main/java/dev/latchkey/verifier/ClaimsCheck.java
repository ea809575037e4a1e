package dev.latchkey.verifier;

import java.time.Clock;
import java.time.Duration;

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
    private final long leewaySeconds;
    private final Clock clock;

    ClaimsCheck(String issuer, String audience, Duration leeway, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.leewaySeconds = leeway.toSeconds();
        this.clock = clock;
    }

    void check(TokenClaims claims) throws TokenVerificationException {
        // RFC 7519 §4.1.1, OIDC Discovery §4.3: compared as strings, trailing slash included.
        if (claims.issuer() == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no issuer (iss)");
        }
        if (!issuer.equals(claims.issuer())) {
            throw new TokenVerificationException(WRONG_ISSUER, "The access token was issued by another issuer");
        }
        // RFC 7519 §4.1.3: the recipient must find itself in aud. An ID token names the client there, not the
        // API, so it stops at this check.
        if (claims.audience().isEmpty()) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no audience (aud)");
        }
        if (!claims.audience().contains(audience)) {
            throw new TokenVerificationException(WRONG_AUDIENCE, "The access token is not meant for this API");
        }
        if (claims.subject() == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no subject (sub)");
        }
        checkTimes(claims, clock.instant().getEpochSecond());
    }

    private void checkTimes(TokenClaims claims, long now) throws TokenVerificationException {
        // RFC 9068 §2.2: exp is required; RFC 7519 §4.1.4: now must be before it.
        if (claims.expiresAt() == null) {
            throw new TokenVerificationException(MISSING_CLAIM, "The access token has no expiry (exp)");
        }
        if (now - leewaySeconds >= claims.expiresAt()) {
            throw new TokenVerificationException(EXPIRED, "The access token expired");
        }
        // RFC 7519 §4.1.5.
        if (claims.notBefore() != null && now + leewaySeconds < claims.notBefore()) {
            throw new TokenVerificationException(NOT_YET_VALID, "The access token is not valid yet");
        }
        if (claims.issuedAt() != null && now + leewaySeconds < claims.issuedAt()) {
            throw new TokenVerificationException(ISSUED_IN_FUTURE, "The access token was issued in the future");
        }
    }
}
