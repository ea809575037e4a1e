package dev.latchkey.server.oauth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * An OAuth error response (RFC 6749 §5.2): the code, a description for the developer, the HTTP
 * status Auth0 uses for it, and a {@code WWW-Authenticate} challenge where one is due.
 */
public final class OAuthException extends RuntimeException {

    private final String code;
    private final int status;
    private final String wwwAuthenticate;
    /** The Auth0 log event type of this failure when it differs from the grant's usual one. */
    private final String logType;
    /** A credential the caller was never given (an unknown code or token): anyone can send one. */
    private final boolean unknownCredential;
    /** Seconds the client should wait before trying again (RFC 9110 §10.2.3), or null. */
    private final Long retryAfter;
    /** An answer the protocol expects in its normal course (a device still waiting), not a failure to log. */
    private final boolean routine;

    public OAuthException(String code, String description, int status, String wwwAuthenticate) {
        this(code, description, status, wwwAuthenticate, null, false, null);
    }

    private OAuthException(String code, String description, int status, String wwwAuthenticate, String logType,
                           boolean unknownCredential, Long retryAfter) {
        this(code, description, status, wwwAuthenticate, logType, unknownCredential, retryAfter, false);
    }

    private OAuthException(String code, String description, int status, String wwwAuthenticate, String logType,
                           boolean unknownCredential, Long retryAfter, boolean routine) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
        this.wwwAuthenticate = wwwAuthenticate;
        this.logType = logType;
        this.unknownCredential = unknownCredential;
        this.retryAfter = retryAfter;
        this.routine = routine;
    }

    public OAuthException(ErrorObject error, String description, int status) {
        this(error.getCode(), description, status, null);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST, description, 400);
    }

    /** RFC 6749 §5.2: 401, with a challenge for the scheme the client tried. */
    public static OAuthException invalidClient(String description, boolean usedBasic) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT.getCode(), description, 401,
                usedBasic ? "Basic realm=\"latchkey\"" : null);
    }

    /** Auth0 answers 403 where RFC 6749 leaves the status open. */
    public static OAuthException accessDenied(String description) {
        return new OAuthException(OAuth2Error.ACCESS_DENIED, description, 403);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, description, 403);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, description, 400);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(OAuth2Error.INVALID_SCOPE, description, 400);
    }

    /** RFC 6749 §5.2: the grant is invalid, expired or revoked; Auth0 answers 400 for codes, 403 for refresh tokens. */
    public static OAuthException invalidGrant(String description, int status) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description, status);
    }

    /** Auth0: the user's password was right but an administrator blocked the user. */
    public static OAuthException unauthorized(String description) {
        return new OAuthException("unauthorized", description, 401, null);
    }

    /** Auth0: brute-force protection refused the attempt; the client may retry after {@code seconds}. */
    public static OAuthException tooManyAttempts(String description, long seconds) {
        return new OAuthException("too_many_attempts", description, 429, null, null, false, seconds);
    }

    /** RFC 6749 §4.1.2.1's temporarily_unavailable, as a 503 with Retry-After (RFC 9110 §15.6.4). */
    public static OAuthException temporarilyUnavailable(String description, long seconds) {
        return new OAuthException(OAuth2Error.TEMPORARILY_UNAVAILABLE.getCode(), description, 503, null, null, false,
                seconds);
    }

    /** RFC 8628 §3.5: the user has not answered yet; the device polls again. Auth0 answers 403. */
    public static OAuthException authorizationPending(String description) {
        return new OAuthException("authorization_pending", description, 403, null, null, false, null, true);
    }

    /** RFC 8628 §3.5: polled faster than the interval, which grows by 5 s; Auth0 answers 429. */
    public static OAuthException slowDown(String description) {
        return new OAuthException("slow_down", description, 429, null, null, false, null, true);
    }

    /** RFC 8628 §3.5: the device code lived out its lifetime; Auth0 answers 403. */
    public static OAuthException expiredToken(String description) {
        return new OAuthException("expired_token", description, 403, null);
    }

    /** The same error, logged as {@code logType} (e.g. Auth0's {@code ferrt} for a reused refresh token). */
    public OAuthException loggedAs(String type) {
        return new OAuthException(code, getMessage(), status, wwwAuthenticate, type, unknownCredential, retryAfter,
                routine);
    }

    /** The same error, marked as being about a credential that was never issued to the caller. */
    public OAuthException aboutUnknownCredential() {
        return new OAuthException(code, getMessage(), status, wwwAuthenticate, logType, true, retryAfter, routine);
    }

    /** True for an answer in the protocol's normal course (authorization_pending, slow_down): not logged. */
    public boolean routine() {
        return routine;
    }

    public Long retryAfter() {
        return retryAfter;
    }

    public String logType() {
        return logType;
    }

    public boolean unknownCredential() {
        return unknownCredential;
    }

    public String code() {
        return code;
    }

    public String description() {
        return getMessage();
    }

    public int status() {
        return status;
    }

    public String wwwAuthenticate() {
        return wwwAuthenticate;
    }
}
