package dev.latchkey.server.store;

import dev.latchkey.server.oauth.authorize.UserGrant;
import dev.latchkey.server.oauth.authorize.UserGrantStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementException;

import java.util.Optional;

public final class JdbcUserGrantStore implements UserGrantStore {

    private static final RowMapper<UserGrant> MAPPER = (rs, ctx) -> new UserGrant(
            rs.getString("id"),
            rs.getString("user_id"),
            rs.getString("client_id"),
            rs.getString("audience"),
            JsonColumns.strings(rs.getString("scope")),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("updated_at")));

    private final Jdbi jdbi;

    public JdbcUserGrantStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<UserGrant> find(String userId, String clientId, String audience) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM user_grants
                        WHERE user_id = :user_id AND client_id = :client_id AND audience = :audience""")
                .bind("user_id", userId).bind("client_id", clientId).bind("audience", audience)
                .map(MAPPER).findOne());
    }

    @Override
    public void save(UserGrant grant) {
        int updated = update(grant);
        if (updated == 0) {
            try {
                jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO user_grants (id, user_id, client_id, audience, scope, created_at, updated_at)
                        VALUES (:id, :user_id, :client_id, :audience, :scope, :created_at, :updated_at)""")
                        .bind("id", grant.id())
                        .bind("user_id", grant.userId())
                        .bind("client_id", grant.clientId())
                        .bind("audience", grant.audience())
                        .bind("scope", JsonColumns.write(grant.scopes()))
                        .bind("created_at", Times.millis(grant.createdAt()))
                        .bind("updated_at", Times.millis(grant.updatedAt()))
                        .execute());
            } catch (StatementException e) {
                // Two consents for the same user, client and audience at once: the second updates.
                if (!UniqueViolations.is(e)) {
                    throw e;
                }
                update(grant);
            }
        }
    }

    private int update(UserGrant grant) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE user_grants SET scope = :scope, updated_at = :updated_at
                WHERE user_id = :user_id AND client_id = :client_id AND audience = :audience""")
                .bind("user_id", grant.userId())
                .bind("client_id", grant.clientId())
                .bind("audience", grant.audience())
                .bind("scope", JsonColumns.write(grant.scopes()))
                .bind("updated_at", Times.millis(grant.updatedAt()))
                .execute());
    }

    @Override
    public Page<UserGrant> list(PageRequest page, String userId, String clientId, String audience) {
        // Filters are added only when given: PostgreSQL cannot type a bare NULL parameter.
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (userId != null) {
            where.append(" AND user_id = :user_id");
        }
        if (clientId != null) {
            where.append(" AND client_id = :client_id");
        }
        if (audience != null) {
            where.append(" AND audience = :audience");
        }
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("SELECT * FROM user_grants" + where + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                        .bind("user_id", userId).bind("client_id", clientId).bind("audience", audience)
                        .bind("limit", page.perPage()).bind("offset", page.offset()).map(MAPPER).list(),
                h.createQuery("SELECT COUNT(*) FROM user_grants" + where)
                        .bind("user_id", userId).bind("client_id", clientId).bind("audience", audience)
                        .mapTo(Long.class).one()));
    }

    @Override
    public Optional<UserGrant> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_grants WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne());
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_grants WHERE id = :id").bind("id", id)
                .execute()) > 0;
    }

    @Override
    public int deleteByUser(String userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM user_grants WHERE user_id = :user_id")
                .bind("user_id", userId).execute());
    }
}
