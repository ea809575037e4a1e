package dev.latchkey.server.identity;

import java.util.Optional;

/** Where SSO sessions are kept, by the digest of their cookie secret. */
public interface SsoSessionStore {

    void create(SsoSession session);

    Optional<SsoSession> find(String idHash);

    /** Moves the session's idle expiry (it was used). */
    void touch(String idHash, java.time.Instant idleExpiresAt);

    void delete(String idHash);

    void deleteBySid(String sid);

    Optional<SsoSession> findBySid(String sid);

    /** The user's sessions, newest first, at most {@code limit}. */
    java.util.List<SsoSession> ofUser(String userId, int limit);
}
