package dev.latchkey.server.token;

/**
 * An access token and what the token response says about it: {@code expiresIn} 0 when unknown (an upstream
 * provider's token that said nothing of its lifetime), and then left out of the response.
 */
public record IssuedAccessToken(String value, long expiresIn, String scope) {
}
