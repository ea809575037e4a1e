package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;

/**
 * A refresh token as stored (RFC 6749 §6, Auth0 §4.2): only its SHA-256 digest, the authorization it
 * continues, and its lifetimes. Tokens of one rotating chain share {@code familyId}; a token already
 * exchanged has {@code rotatedAt}. {@code absoluteExpiresAt} is fixed when the family starts and
 * {@code idleExpiresAt} restarts at every exchange; null means no such limit.
 */
public record RefreshToken(
        String id,
        String tokenHash,
        String familyId,
        String authorizationId,
        String clientId,
        String userId,
        String audience,
        List<String> scopes,
        String sid,
        boolean rotating,
        Instant createdAt,
        Instant lastUsedAt,
        Instant rotatedAt,
        Instant idleExpiresAt,
        Instant absoluteExpiresAt,
        Instant expiresAt) {

    public RefreshToken {
        scopes = List.copyOf(scopes);
    }

    public boolean expired(Instant now) {
        return (idleExpiresAt != null && !now.isBefore(idleExpiresAt))
                || (absoluteExpiresAt != null && !now.isBefore(absoluteExpiresAt));
    }
}
