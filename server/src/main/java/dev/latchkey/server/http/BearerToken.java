package dev.latchkey.server.http;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750 §2.1; the scheme is case-insensitive). */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** The token, or empty when the header is missing, of another scheme, or carries no token. */
    public static Optional<String> of(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
