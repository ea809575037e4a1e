package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;

/**
 * An opaque access token as stored: only its SHA-256 digest, who it is for and what it allows. It is
 * good only at /userinfo and introspection (Auth0: opaque when no audience is requested).
 * {@code authorizationId} names the authorization it was issued from.
 */
public record OpaqueToken(String tokenHash, String clientId, String userId, List<String> scopes,
                          String authorizationId, Instant issuedAt, Instant expiresAt) {

    public OpaqueToken {
        scopes = List.copyOf(scopes);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
