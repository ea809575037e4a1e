package dev.latchkey.server.token;

/**
 * What one issuance produced (RFC 6749 §5.1): the access token (null when the response type asked
 * for none), and the ID and refresh tokens, null when absent.
 */
public record IssuedTokens(IssuedAccessToken accessToken, String idToken, String refreshToken) {

    public static IssuedTokens of(IssuedAccessToken accessToken) {
        return new IssuedTokens(accessToken, null, null);
    }
}
