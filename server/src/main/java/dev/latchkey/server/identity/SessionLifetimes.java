package dev.latchkey.server.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * How long an SSO session lives: at most {@code absolute} from login, and no longer than {@code idle} after the
 * browser last used it (Auth0's tenant {@code session_lifetime} and {@code idle_session_lifetime}).
 */
public record SessionLifetimes(Duration absolute, Duration idle) {

    /** Auth0's defaults: 7 days absolute, 3 days idle. */
    public static final SessionLifetimes AUTH0_DEFAULTS = new SessionLifetimes(Duration.ofHours(168),
            Duration.ofHours(72));

    /** The idle expiry of a session used at {@code now}: never past its absolute expiry. */
    Instant idleExpiry(Instant now, Instant expiresAt) {
        Instant idleEnd = now.plus(idle);
        return idleEnd.isBefore(expiresAt) ? idleEnd : expiresAt;
    }
}
