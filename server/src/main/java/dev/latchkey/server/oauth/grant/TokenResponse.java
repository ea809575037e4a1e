package dev.latchkey.server.oauth.grant;

import dev.latchkey.server.token.IssuedAccessToken;

/** A successful token response (RFC 6749 §5.1); the optional parts are null when absent. */
public record TokenResponse(IssuedAccessToken accessToken, String idToken, String refreshToken) {

    public static TokenResponse of(IssuedAccessToken accessToken) {
        return new TokenResponse(accessToken, null, null);
    }
}
