package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;

/**
 * An opaque access token as stored: only its SHA-256 digest, who it is for and what it allows. It is
 * good only at /userinfo (Auth0: opaque when no audience is requested). {@code codeHash} names the
 * authorization code it came from, if any.
 */
public record OpaqueToken(String tokenHash, String clientId, String userId, List<String> scopes, String codeHash,
                          Instant issuedAt, Instant expiresAt) {

    public OpaqueToken {
        scopes = List.copyOf(scopes);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
