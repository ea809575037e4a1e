package dev.latchkey.server.store;

import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.AuthorizationStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class JdbcAuthorizationStore implements AuthorizationStore {

    private static final RowMapper<Authorization> MAPPER = (rs, ctx) -> new Authorization(
            rs.getString("id"),
            rs.getString("user_id"),
            rs.getString("client_id"),
            rs.getString("audience"),
            scopes(rs.getString("scope")),
            rs.getString("sid"),
            Times.instant(rs.getLong("auth_time")),
            rs.getString("acr"),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("expires_at")));

    private static final String SPEND_CODE = """
            UPDATE authorizations SET code_used_at = :now
            WHERE id = :id AND client_id = :client_id AND code_used_at IS NULL AND revoked_at IS NULL
                AND expires_at > :now""";

    private final Jdbi jdbi;
    /** The conditional UPDATE answering the row it changed: the first spend is one statement. */
    private final String spendCode;

    public JdbcAuthorizationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.spendCode = DatabaseKind.postgres(jdbi) ? SPEND_CODE + " RETURNING *"
                : "SELECT * FROM FINAL TABLE (" + SPEND_CODE + ")";
    }

    @Override
    public void create(Authorization a) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO authorizations (id, user_id, client_id, audience, scope, sid, auth_time, acr, created_at,
                    expires_at)
                VALUES (:id, :user_id, :client_id, :audience, :scope, :sid, :auth_time, :acr, :created_at,
                    :expires_at)""")
                .bind("id", a.id())
                .bind("user_id", a.userId())
                .bind("client_id", a.clientId())
                .bind("audience", a.audience())
                .bind("scope", String.join(" ", a.scopes()))
                .bind("sid", a.sid())
                .bind("auth_time", Times.millis(a.authTime()))
                .bind("acr", a.acr())
                .bind("created_at", Times.millis(a.createdAt()))
                .bind("expires_at", Times.millis(a.expiresAt()))
                .execute());
    }

    @Override
    public Optional<Authorization> findActive(String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM authorizations WHERE id = :id AND revoked_at IS NULL")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<CodeSpend> spendCode(String id, String clientId, Instant now) {
        return jdbi.withHandle(h -> {
            // One conditional UPDATE decides who was first, whatever the number of nodes; another client's
            // attempt changes nothing (RFC 6749 §4.1.3).
            Optional<Authorization> first = h.createQuery(spendCode)
                    .bind("now", Times.millis(now)).bind("id", id).bind("client_id", clientId)
                    .map(MAPPER).findOne();
            if (first.isPresent()) {
                return first.map(a -> new CodeSpend(a, true));
            }
            return h.createQuery("""
                            SELECT * FROM authorizations WHERE id = :id AND client_id = :client_id
                                AND code_used_at IS NOT NULL""")
                    .bind("id", id).bind("client_id", clientId).map(MAPPER).findOne()
                    .map(a -> new CodeSpend(a, false));
        });
    }

    @Override
    public void extend(String id, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE authorizations SET expires_at = :expires_at WHERE id = :id AND expires_at < :expires_at")
                .bind("id", id).bind("expires_at", Times.millis(expiresAt)).execute());
    }

    @Override
    public Revoked revoke(String id, Instant now) {
        return revokeWhere("id = :key", id, now);
    }

    @Override
    public Revoked revokeUser(String userId, Instant now) {
        return revokeWhere("user_id = :key", userId, now);
    }

    @Override
    public Revoked revokeGrant(String userId, String clientId, String audience, Instant now) {
        return jdbi.inTransaction(h -> revoke(h, h.createQuery("SELECT id FROM authorizations WHERE user_id = :user_id"
                        + " AND client_id = :client_id AND "
                        + (audience == null ? "audience IS NULL" : "audience = :audience")
                        + " AND revoked_at IS NULL")
                .bind("user_id", userId).bind("client_id", clientId).bind("audience", audience)
                .mapTo(String.class).list(), now));
    }

    @Override
    public Revoked revokeSession(String sid, Instant now) {
        return revokeWhere("sid = :key", sid, now);
    }

    private Revoked revokeWhere(String condition, String key, Instant now) {
        return jdbi.inTransaction(h -> revoke(h, h.createQuery("SELECT id FROM authorizations WHERE " + condition
                        + " AND revoked_at IS NULL").bind("key", key).mapTo(String.class).list(), now));
    }

    /** Marks the authorizations revoked and deletes what hangs from them, in the caller's transaction. */
    private static Revoked revoke(Handle h, List<String> ids, Instant now) {
        List<String> opaque = new ArrayList<>();
        for (String id : ids) {
            h.createUpdate("UPDATE authorizations SET revoked_at = :now WHERE id = :id")
                    .bind("id", id).bind("now", Times.millis(now)).execute();
            opaque.addAll(h.createQuery("SELECT token_hash FROM opaque_tokens WHERE authorization_id = :id")
                    .bind("id", id).mapTo(String.class).list());
            h.createUpdate("DELETE FROM opaque_tokens WHERE authorization_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM refresh_tokens WHERE authorization_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM authorization_codes WHERE authorization_id = :id AND consumed_at IS NULL")
                    .bind("id", id).execute();
        }
        return new Revoked(ids, opaque);
    }

    @Override
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "authorizations", List.of("id"), now, batch));
    }

    private static List<String> scopes(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
    }
}
