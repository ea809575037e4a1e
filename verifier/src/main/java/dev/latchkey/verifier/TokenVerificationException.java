package dev.latchkey.verifier;

import java.util.List;
import java.util.Optional;

/**
 * An access token was refused. {@link #reason()} says why; {@link #bearerError()} and {@link #httpStatus()}
 * say how to answer the caller (RFC 6750 §3). The message never contains the token.
 */
public final class TokenVerificationException extends Exception {

    /** Why a token was refused, each with the answer it calls for. */
    public enum Reason {
        /** RFC 6750 §3.1: no credentials at all, so the challenge carries no error code. */
        MISSING(null, 401),
        /** More than one token, or an empty Bearer credential (RFC 6750 §2, §3.1). */
        INVALID_REQUEST(BearerError.INVALID_REQUEST, 400),
        /** Not a compact JWS, bad base64url, bad JSON, duplicate members, wrongly typed claims. */
        MALFORMED(BearerError.INVALID_TOKEN, 401),
        /** Larger than the verifier reads at all. */
        OVERSIZED(BearerError.INVALID_TOKEN, 401),
        /** Not a JWT, and opaque tokens are not checked at the issuer's userinfo endpoint. */
        NOT_A_JWT(BearerError.INVALID_TOKEN, 401),
        /** {@code alg} not on the allow-list, {@code none}, or not usable with the key (RFC 8725 §3.1). */
        DISALLOWED_ALGORITHM(BearerError.INVALID_TOKEN, 401),
        /** {@code typ} is neither {@code JWT} nor {@code at+jwt} (RFC 8725 §3.11, RFC 9068 §4). */
        WRONG_TYPE(BearerError.INVALID_TOKEN, 401),
        /** A {@code crit} header parameter this verifier does not understand (RFC 7515 §4.1.11). */
        UNSUPPORTED_CRITICAL_HEADER(BearerError.INVALID_TOKEN, 401),
        /** No key with this {@code kid} in the issuer's JWKS, even after a refetch. */
        UNKNOWN_KEY(BearerError.INVALID_TOKEN, 401),
        BAD_SIGNATURE(BearerError.INVALID_TOKEN, 401),
        /** A required claim ({@code iss}, {@code sub}, {@code aud}, {@code exp}) is absent. */
        MISSING_CLAIM(BearerError.INVALID_TOKEN, 401),
        EXPIRED(BearerError.INVALID_TOKEN, 401),
        /** {@code nbf} is in the future (RFC 7519 §4.1.5). */
        NOT_YET_VALID(BearerError.INVALID_TOKEN, 401),
        /** {@code iat} is in the future. */
        ISSUED_IN_FUTURE(BearerError.INVALID_TOKEN, 401),
        WRONG_ISSUER(BearerError.INVALID_TOKEN, 401),
        /** The token is for another API, or is an ID token. */
        WRONG_AUDIENCE(BearerError.INVALID_TOKEN, 401),
        /** The issuer's userinfo endpoint refused an opaque token. */
        REJECTED_BY_ISSUER(BearerError.INVALID_TOKEN, 401),
        /** The issuer could not be reached and nothing cached could decide. Not the caller's fault: 503. */
        ISSUER_UNREACHABLE(null, 503),
        /** Valid token, but a required scope or permission is missing (RFC 6750 §3.1). */
        INSUFFICIENT_SCOPE(BearerError.INSUFFICIENT_SCOPE, 403);

        private final BearerError bearerError;
        private final int httpStatus;

        Reason(BearerError bearerError, int httpStatus) {
            this.bearerError = bearerError;
            this.httpStatus = httpStatus;
        }
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final List<String> requiredScopes;

    public TokenVerificationException(Reason reason, String message) {
        this(reason, message, null, List.of());
    }

    public TokenVerificationException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, List.of());
    }

    private TokenVerificationException(Reason reason, String message, Throwable cause, List<String> requiredScopes) {
        // Refused tokens are an expected outcome, floods of them included: skip the stack trace.
        super(message, cause, false, false);
        this.reason = reason;
        this.requiredScopes = List.copyOf(requiredScopes);
    }

    /** RFC 6750 §3: the {@code scope} attribute lists what the resource needs. */
    static TokenVerificationException insufficientScope(String message, List<String> requiredScopes) {
        return new TokenVerificationException(Reason.INSUFFICIENT_SCOPE, message, null, requiredScopes);
    }

    public Reason reason() {
        return reason;
    }

    /** The RFC 6750 error code; empty when the request carried no token or the issuer is unreachable. */
    public Optional<BearerError> bearerError() {
        return Optional.ofNullable(reason.bearerError);
    }

    public int httpStatus() {
        return reason.httpStatus;
    }

    /** The scopes (or permissions) the resource needs; set only for {@link Reason#INSUFFICIENT_SCOPE}. */
    public List<String> requiredScopes() {
        return requiredScopes;
    }
}
