package dev.latchkey.server.identity;

import java.time.Instant;

/**
 * A browser signed in to Latchkey (single sign-on). The cookie carries a random secret whose
 * SHA-256 digest is {@code idHash}; {@code sid} is the separate, public session id that ID tokens
 * carry (OIDC Front-Channel Logout §3), so a token never reveals the cookie. The session ends at
 * {@code expiresAt} (absolute) or at {@code idleExpiresAt}, which each use pushes back ({@link SessionLifetimes});
 * a null {@code idleExpiresAt} (a session started before idle expiry existed) has only the absolute end.
 * {@code upstream} is the login at an upstream provider the session started with, null for any other login.
 */
public record SsoSession(String idHash, String sid, String userId, Instant authTime, Instant createdAt,
                         Instant expiresAt, Instant idleExpiresAt, UpstreamSignIn upstream) {

    public SsoSession(String idHash, String sid, String userId, Instant authTime, Instant createdAt,
                      Instant expiresAt, Instant idleExpiresAt) {
        this(idHash, sid, userId, authTime, createdAt, expiresAt, idleExpiresAt, null);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt) || (idleExpiresAt != null && !now.isBefore(idleExpiresAt));
    }

    /** When the session ends if it is not used again. */
    public Instant endsAt() {
        return idleExpiresAt == null || expiresAt.isBefore(idleExpiresAt) ? expiresAt : idleExpiresAt;
    }

    public SsoSession withIdleExpiresAt(Instant instant) {
        return new SsoSession(idHash, sid, userId, authTime, createdAt, expiresAt, instant, upstream);
    }
}
