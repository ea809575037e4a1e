package dev.latchkey.verifier;

import java.util.Iterator;
import java.util.Locale;

import static dev.latchkey.verifier.TokenVerificationException.Reason.INVALID_REQUEST;
import static dev.latchkey.verifier.TokenVerificationException.Reason.MISSING;

/** Takes the bearer token out of the {@code Authorization} header values of a request (RFC 6750 §2.1). */
public final class AuthorizationHeader {

    private static final String SCHEME = "bearer";

    private AuthorizationHeader() {
    }

    /**
     * @param values every {@code Authorization} header of the request
     * @return the token
     * @throws TokenVerificationException {@code MISSING} when there is no Bearer credential (RFC 6750 §3.1:
     *     answer without an error code), {@code INVALID_REQUEST} for several headers or an empty token
     */
    public static String bearerToken(Iterator<String> values) throws TokenVerificationException {
        if (values == null || !values.hasNext()) {
            throw new TokenVerificationException(MISSING, "No access token was presented");
        }
        String value = values.next().strip();
        if (values.hasNext()) {
            // RFC 6750 §3.1: more than one credential is a malformed request.
            throw new TokenVerificationException(INVALID_REQUEST,
                    "The request has more than one Authorization header");
        }
        // RFC 7235 §2.1: the scheme is case-insensitive; RFC 6750 §2.1: "Bearer" 1*SP b64token.
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        if (!scheme.equals(SCHEME)) {
            throw new TokenVerificationException(MISSING, "No Bearer access token was presented");
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty() || token.indexOf(' ') >= 0) {
            throw new TokenVerificationException(INVALID_REQUEST,
                    "The Authorization header has no single Bearer token");
        }
        return token;
    }
}
