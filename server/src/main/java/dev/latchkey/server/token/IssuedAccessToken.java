package dev.latchkey.server.token;

/** An access token and what the token response says about it. */
public record IssuedAccessToken(String value, long expiresIn, String scope) {
}
