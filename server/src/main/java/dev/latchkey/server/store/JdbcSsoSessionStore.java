package dev.latchkey.server.store;

import dev.latchkey.server.identity.SsoSession;
import dev.latchkey.server.identity.SsoSessionStore;
import dev.latchkey.server.identity.UpstreamSignIn;
import dev.latchkey.server.keys.MasterKey;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Optional;

/**
 * SSO sessions by the digest of their cookie secret; the upstream ID token of a session that started with an
 * upstream login is sealed under the master key ({@value #PURPOSE}, bound to the session), opened only when read.
 */
public final class JdbcSsoSessionStore implements SsoSessionStore {

    private static final String PURPOSE = "upstream-id-token";

    private final RowMapper<SsoSession> mapper = (rs, ctx) -> new SsoSession(
            rs.getString("id_hash"),
            rs.getString("sid"),
            rs.getString("user_id"),
            Times.instant(rs.getLong("auth_time")),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("expires_at")),
            rs.getObject("idle_expires_at") == null ? null : Times.instant(rs.getLong("idle_expires_at")),
            upstream(rs.getString("id_hash"), rs.getString("upstream_connection"), rs.getString("upstream_id_token")));

    private final Jdbi jdbi;
    private final MasterKey masterKey;

    public JdbcSsoSessionStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
    }

    private UpstreamSignIn upstream(String idHash, String connection, String sealedIdToken) {
        if (connection == null) {
            return null;
        }
        return new UpstreamSignIn(connection, sealedIdToken == null ? null
                : masterKey.openString(sealedIdToken, PURPOSE + ":" + idHash));
    }

    @Override
    public void create(SsoSession session) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO sso_sessions (id_hash, sid, user_id, auth_time, created_at, expires_at, idle_expires_at,
                    upstream_connection, upstream_id_token)
                VALUES (:id_hash, :sid, :user_id, :auth_time, :created_at, :expires_at, :idle_expires_at,
                    :upstream_connection, :upstream_id_token)""")
                .bind("id_hash", session.idHash())
                .bind("sid", session.sid())
                .bind("user_id", session.userId())
                .bind("auth_time", Times.millis(session.authTime()))
                .bind("created_at", Times.millis(session.createdAt()))
                .bind("expires_at", Times.millis(session.expiresAt()))
                .bind("idle_expires_at", session.idleExpiresAt() == null ? null : Times.millis(session.idleExpiresAt()))
                .bind("upstream_connection", session.upstream() == null ? null : session.upstream().connection())
                .bind("upstream_id_token", session.upstream() == null || session.upstream().idToken() == null ? null
                        : masterKey.seal(session.upstream().idToken(), PURPOSE + ":" + session.idHash()))
                .execute());
    }

    @Override
    public void touch(String idHash, java.time.Instant idleExpiresAt) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sso_sessions SET idle_expires_at = :idle WHERE id_hash = :id_hash")
                .bind("idle", Times.millis(idleExpiresAt)).bind("id_hash", idHash).execute());
    }

    @Override
    public Optional<SsoSession> find(String idHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sso_sessions WHERE id_hash = :id_hash")
                .bind("id_hash", idHash).map(mapper).findOne());
    }

    @Override
    public void delete(String idHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sso_sessions WHERE id_hash = :id_hash")
                .bind("id_hash", idHash).execute());
    }

    @Override
    public void deleteBySid(String sid) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM sso_sessions WHERE sid = :sid").bind("sid", sid).execute());
    }

    @Override
    public Optional<SsoSession> findBySid(String sid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM sso_sessions WHERE sid = :sid")
                .bind("sid", sid).map(mapper).findOne());
    }

    @Override
    public java.util.List<SsoSession> ofUser(String userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM sso_sessions WHERE user_id = :user_id ORDER BY created_at DESC LIMIT :limit")
                .bind("user_id", userId).bind("limit", limit).map(mapper).list());
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(java.time.Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "sso_sessions", java.util.List.of("id_hash"), now, batch));
    }
}
