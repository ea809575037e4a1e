package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.IdentityStore;
import dev.latchkey.server.keys.MasterKey;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Upstream identities; the provider's tokens sealed under the master key ({@value #PURPOSE}, bound to the row). */
public final class JdbcIdentityStore implements IdentityStore {

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
    public void save(Identity identity) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM user_identities WHERE connection = :connection AND subject = :subject")
                    .bind("connection", identity.connection()).bind("subject", identity.subject()).execute();
            h.createUpdate("""
                            INSERT INTO user_identities (connection, subject, user_id, provider, profile_data,
                                access_token, refresh_token, expires_in, updated_at)
                            VALUES (:connection, :subject, :user_id, :provider, :profile_data, :access_token,
                                :refresh_token, :expires_in, :updated_at)""")
                    .bind("connection", identity.connection())
                    .bind("subject", identity.subject())
                    .bind("user_id", identity.userId())
                    .bind("provider", identity.provider())
                    .bind("profile_data", JsonColumns.write(identity.profileData()))
                    .bind("access_token", seal(identity.accessToken(), identity, "access"))
                    .bind("refresh_token", seal(identity.refreshToken(), identity, "refresh"))
                    .bind("expires_in", identity.expiresIn())
                    .bind("updated_at", Times.millis(identity.updatedAt()))
                    .execute();
        });
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
