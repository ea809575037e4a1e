package dev.latchkey.server.identity;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.keys.TimeOrderedIds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts, finds and ends SSO sessions from the cookie's secret. A login always starts a new
 * session with a new secret and ends the one the browser had, so a session id planted before
 * login is worthless afterwards (no session fixation, OWASP Session Management). Each use of a live
 * session pushes its idle expiry back (Auth0: the idle timer restarts on every interaction, such as
 * {@code /authorize}); the lifetimes are the tenant's settings at the time.
 */
public final class SsoSessions {

    /** A use less than this after the last one does not move the idle expiry (no write per request). */
    static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

    private final SsoSessionStore store;
    private final Clock clock;
    private final Supplier<SessionLifetimes> lifetimes;

    public SsoSessions(SsoSessionStore store, Clock clock, Supplier<SessionLifetimes> lifetimes) {
        this.store = store;
        this.clock = clock;
        this.lifetimes = lifetimes;
    }

    /** A new session for {@code userId}, replacing {@code previousCookie} when there was one. */
    public Started start(String userId, String previousCookie) {
        return start(userId, previousCookie, null);
    }

    /** As {@link #start(String, String)}, for a login at an upstream provider ({@code upstream}, may be null). */
    public Started start(String userId, String previousCookie, UpstreamSignIn upstream) {
        if (previousCookie != null) {
            end(previousCookie);
        }
        Instant now = clock.instant();
        String secret = RandomStrings.base64url(32);
        Instant expiresAt = now.plus(lifetimes.get().absolute());
        // The sid is public (ID tokens carry it) and begins with the time, for the indexes that hold it.
        String sid = TimeOrderedIds.next("", RandomStrings.base64url(16));
        SsoSession session = new SsoSession(SecretHash.of(secret), sid, userId,
                now, now, expiresAt, lifetimes.get().idleExpiry(now, expiresAt), upstream);
        store.create(session);
        return new Started(secret, session);
    }

    /** The live session the cookie names, if any, its idle expiry pushed back by this use. */
    public Optional<SsoSession> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return store.find(SecretHash.of(cookie)).filter(s -> !s.expired(now)).map(s -> touched(s, now));
    }

    private SsoSession touched(SsoSession session, Instant now) {
        Instant idle = lifetimes.get().idleExpiry(now, session.expiresAt());
        if (session.idleExpiresAt() != null
                && Duration.between(session.idleExpiresAt(), idle).compareTo(TOUCH_GRANULARITY) < 0) {
            return session;
        }
        store.touch(session.idHash(), idle);
        return session.withIdleExpiresAt(idle);
    }

    public Instant now() {
        return clock.instant();
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
