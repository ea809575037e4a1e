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

    public OAuthException(String code, String description, int status, String wwwAuthenticate) {
        super(description, null, false, false);
        this.code = code;
        this.status = status;
        this.wwwAuthenticate = wwwAuthenticate;
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
