package dev.latchkey.server.identity;

import java.time.Instant;

/**
 * A browser signed in to Latchkey (single sign-on). The cookie carries a random secret whose
 * SHA-256 digest is {@code idHash}; {@code sid} is the separate, public session id that ID tokens
 * carry (OIDC Front-Channel Logout §3), so a token never reveals the cookie.
 */
public record SsoSession(String idHash, String sid, String userId, Instant authTime, Instant createdAt,
                         Instant expiresAt) {

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
