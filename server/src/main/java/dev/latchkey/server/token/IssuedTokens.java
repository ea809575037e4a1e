package dev.latchkey.server.token;

/**
 * What one issuance produced (RFC 6749 §5.1): the access token (null when the response type asked
 * for none), and the ID and refresh tokens, null when absent; {@code issuedTokenType} is the type a token
 * exchange names (RFC 8693 §2.2.1), null for the other grants.
 */
public record IssuedTokens(IssuedAccessToken accessToken, String idToken, String refreshToken,
                           String issuedTokenType) {

    public IssuedTokens(IssuedAccessToken accessToken, String idToken, String refreshToken) {
        this(accessToken, idToken, refreshToken, null);
    }

    public static IssuedTokens of(IssuedAccessToken accessToken) {
        return new IssuedTokens(accessToken, null, null);
    }

    /** A token exchange's answer (RFC 8693 §2.2.1): one token, of {@code issuedTokenType}. */
    public static IssuedTokens exchanged(IssuedAccessToken accessToken, String issuedTokenType) {
        return new IssuedTokens(accessToken, null, null, issuedTokenType);
    }
}
