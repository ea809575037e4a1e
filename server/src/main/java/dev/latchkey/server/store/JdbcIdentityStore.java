package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.IdentityStore;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.upstream.IdpTokenStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.Update;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream identities; the provider's tokens sealed under the master key ({@value #PURPOSE}, bound to the row),
 * with their absolute expiry and the claim on their refresh ({@link IdpTokenStore}).
 */
public final class JdbcIdentityStore implements IdentityStore, IdpTokenStore {

    private static final String PURPOSE = "idp-token";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final MasterKey masterKey;

    public JdbcIdentityStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
    }

    @Override
    public Optional<Identity> find(String connection, String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM user_identities WHERE connection = :connection AND subject = :subject")
                .bind("connection", connection).bind("subject", subject).map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<Identity> ofUser(String userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM user_identities WHERE user_id = :user_id ORDER BY updated_at, connection")
                .bind("user_id", userId).map((rs, ctx) -> map(rs)).list());
    }

    @Override
    public Map<String, List<Identity>> ofUsers(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Identity>> byUser = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT * FROM user_identities WHERE user_id IN (<user_ids>) ORDER BY updated_at, connection")
                .bindList("user_ids", List.copyOf(userIds)).map((rs, ctx) -> map(rs))
                .forEach(identity -> byUser.computeIfAbsent(identity.userId(), id -> new ArrayList<>()).add(identity)));
        return byUser;
    }

    @Override
    public boolean save(Identity identity) {
        try {
            // A returning login replaces its row with one conditional UPDATE; only a first login inserts.
            return jdbi.withHandle(h -> replace(h, identity) == 1 || insert(h, identity));
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                // The row is another user's now: the update above did not match it, so the insert met it.
                return false;
            }
            throw e;
        }
    }

    /** Rewrites the row while it is the same user's; a refresh claimed on the old tokens no longer holds. */
    private int replace(Handle h, Identity identity) {
        return bindRow(h.createUpdate("""
                        UPDATE user_identities SET provider = :provider, profile_data = :profile_data,
                            access_token = :access_token, refresh_token = :refresh_token, expires_in = :expires_in,
                            expires_at = :expires_at, updated_at = :updated_at, refresh_claimed_until = NULL
                        WHERE connection = :connection AND subject = :subject AND user_id = :user_id"""), identity)
                .execute();
    }

    private boolean insert(Handle h, Identity identity) {
        bindRow(h.createUpdate("""
                        INSERT INTO user_identities (connection, subject, user_id, provider, profile_data,
                            access_token, refresh_token, expires_in, expires_at, updated_at)
                        VALUES (:connection, :subject, :user_id, :provider, :profile_data, :access_token,
                            :refresh_token, :expires_in, :expires_at, :updated_at)"""), identity)
                .execute();
        return true;
    }

    private Update bindRow(Update update, Identity identity) {
        return update
                .bind("connection", identity.connection())
                .bind("subject", identity.subject())
                .bind("user_id", identity.userId())
                .bind("provider", identity.provider())
                .bind("profile_data", JsonColumns.write(identity.profileData()))
                .bind("access_token", seal(identity.accessToken(), identity, "access"))
                .bind("refresh_token", seal(identity.refreshToken(), identity, "refresh"))
                .bind("expires_in", identity.expiresIn())
                .bind("expires_at", identity.expiresIn() == null ? null
                        : Times.millis(identity.updatedAt().plusSeconds(identity.expiresIn())))
                .bind("updated_at", Times.millis(identity.updatedAt()));
    }

    @Override
    public List<IdpTokens> tokensOf(String userId, String connection) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM user_identities WHERE user_id = :user_id AND connection = :connection
                        ORDER BY updated_at DESC, subject""")
                .bind("user_id", userId).bind("connection", connection).map((rs, ctx) -> idpTokens(rs)).list());
    }

    @Override
    public Optional<IdpTokens> tokens(String connection, String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM user_identities WHERE connection = :connection AND subject = :subject")
                .bind("connection", connection).bind("subject", subject).map((rs, ctx) -> idpTokens(rs)).findOne());
    }

    @Override
    public boolean claimRefresh(String connection, String subject, Instant now, Instant until) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE user_identities SET refresh_claimed_until = :until
                        WHERE connection = :connection AND subject = :subject
                          AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= :now)""")
                .bind("until", Times.millis(until)).bind("now", Times.millis(now))
                .bind("connection", connection).bind("subject", subject).execute()) == 1;
    }

    @Override
    public boolean saveRefreshed(String connection, String subject, Instant claimedUntil, Refreshed tokens) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE user_identities SET access_token = :access_token,
                            refresh_token = COALESCE(:refresh_token, refresh_token), expires_in = :expires_in,
                            expires_at = :expires_at, updated_at = :updated_at, refresh_claimed_until = NULL
                        WHERE connection = :connection AND subject = :subject
                          AND refresh_claimed_until = :claimed_until""")
                .bind("access_token", masterKey.seal(tokens.accessToken(), purpose(connection, subject, "access")))
                .bind("refresh_token", tokens.refreshToken() == null ? null
                        : masterKey.seal(tokens.refreshToken(), purpose(connection, subject, "refresh")))
                .bind("expires_in", tokens.expiresIn())
                .bind("expires_at", tokens.expiresAt() == null ? null : Times.millis(tokens.expiresAt()))
                .bind("updated_at", Times.millis(tokens.at()))
                .bind("connection", connection).bind("subject", subject)
                .bind("claimed_until", Times.millis(claimedUntil)).execute()) == 1;
    }

    @Override
    public void releaseClaim(String connection, String subject, Instant claimedUntil) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE user_identities SET refresh_claimed_until = NULL
                        WHERE connection = :connection AND subject = :subject
                          AND refresh_claimed_until = :claimed_until""")
                .bind("connection", connection).bind("subject", subject)
                .bind("claimed_until", Times.millis(claimedUntil)).execute());
    }

    private IdpTokens idpTokens(ResultSet rs) throws SQLException {
        Identity identity = map(rs);
        long expiresAt = rs.getLong("expires_at");
        Instant expiry = rs.wasNull() ? null : Times.instant(expiresAt);
        if (expiry == null && identity.expiresIn() != null) {
            // Written before expires_at existed: the provider's lifetime counted from the login.
            expiry = identity.updatedAt().plusSeconds(identity.expiresIn());
        }
        long claimed = rs.getLong("refresh_claimed_until");
        return new IdpTokens(identity.connection(), identity.subject(), identity.userId(), identity.accessToken(),
                identity.refreshToken(), expiry, rs.wasNull() ? null : Times.instant(claimed));
    }

    private String seal(String token, Identity identity, String kind) {
        return token == null ? null : masterKey.seal(token, purpose(identity.connection(), identity.subject(), kind));
    }

    private static String purpose(String connection, String subject, String kind) {
        return PURPOSE + ":" + kind + ":" + connection + "|" + subject;
    }

    private Identity map(ResultSet rs) throws SQLException {
        String connection = rs.getString("connection");
        String subject = rs.getString("subject");
        String access = rs.getString("access_token");
        String refresh = rs.getString("refresh_token");
        long expiresIn = rs.getLong("expires_in");
        boolean noExpiry = rs.wasNull();
        return new Identity(connection, subject, rs.getString("user_id"), rs.getString("provider"),
                JsonColumns.read(rs.getString("profile_data"), OBJECT),
                access == null ? null : masterKey.openString(access, purpose(connection, subject, "access")),
                refresh == null ? null : masterKey.openString(refresh, purpose(connection, subject, "refresh")),
                noExpiry ? null : expiresIn, Times.instant(rs.getLong("updated_at")));
    }
}
