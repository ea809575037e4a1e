package dev.latchkey.server.identity;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts, finds and ends SSO sessions from the cookie's secret. A login always starts a new
 * session with a new secret and ends the one the browser had, so a session id planted before
 * login is worthless afterwards (no session fixation, OWASP Session Management).
 */
public final class SsoSessions {

    /** Auth0's default absolute session lifetime is 7 days (tenant {@code session_lifetime}: 168 h). */
    public static final Duration LIFETIME = Duration.ofDays(7);

    private final SsoSessionStore store;
    private final Clock clock;

    public SsoSessions(SsoSessionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new session for {@code userId}, replacing {@code previousCookie} when there was one. */
    public Started start(String userId, String previousCookie) {
        if (previousCookie != null) {
            end(previousCookie);
        }
        Instant now = clock.instant();
        String secret = RandomStrings.base64url(32);
        SsoSession session = new SsoSession(SecretHash.of(secret), RandomStrings.base64url(16), userId,
                now, now, now.plus(LIFETIME));
        store.create(session);
        return new Started(secret, session);
    }

    /** The live session the cookie names, if any. */
    public Optional<SsoSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        return store.find(SecretHash.of(cookie)).filter(s -> !s.expired(clock.instant()));
    }

    public void end(String cookie) {
        if (cookie != null && !cookie.isEmpty() && cookie.length() <= 100) {
            store.delete(SecretHash.of(cookie));
        }
    }

    public void endBySid(String sid) {
        store.deleteBySid(sid);
    }

    /** A started session and the cookie secret that names it (shown to the browser only). */
    public record Started(String cookie, SsoSession session) {
    }
}
