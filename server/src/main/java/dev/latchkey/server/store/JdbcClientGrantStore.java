package dev.latchkey.server.store;

import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.ClientGrantStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementException;

import java.util.List;
import java.util.Optional;

public final class JdbcClientGrantStore implements ClientGrantStore {

    private static final RowMapper<ClientGrant> MAPPER = (rs, ctx) -> new ClientGrant(
            rs.getString("id"),
            rs.getString("client_id"),
            rs.getString("audience"),
            JsonColumns.strings(rs.getString("scope")),
            Times.instant(rs.getLong("created_at")));

    private final Jdbi jdbi;

    public JdbcClientGrantStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(ClientGrant grant) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO client_grants (id, client_id, audience, scope, created_at)
                    VALUES (:id, :client_id, :audience, :scope, :created_at)""")
                    .bind("id", grant.id())
                    .bind("client_id", grant.clientId())
                    .bind("audience", grant.audience())
                    .bind("scope", JsonColumns.write(grant.scope()))
                    .bind("created_at", Times.millis(grant.createdAt()))
                    .execute());
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A client grant for this client and audience already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<ClientGrant> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM client_grants WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<ClientGrant> find(String clientId, String audience) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT * FROM client_grants WHERE client_id = :client_id AND audience = :audience")
                .bind("client_id", clientId).bind("audience", audience).map(MAPPER).findOne());
    }

    @Override
    public Page<ClientGrant> list(PageRequest page, String clientId, String audience) {
        String where = where(clientId, audience);
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("SELECT * FROM client_grants" + where
                                + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                        .bind("client_id", clientId).bind("audience", audience)
                        .bind("limit", page.perPage()).bind("offset", page.offset()).map(MAPPER).list(),
                h.createQuery("SELECT COUNT(*) FROM client_grants" + where)
                        .bind("client_id", clientId).bind("audience", audience).mapTo(Long.class).one()));
    }

    @Override
    public List<ClientGrant> after(String fromId, String clientId, String audience, int take) {
        String where = where(clientId, audience) + (fromId == null ? "" : " AND id > :from");
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM client_grants" + where + " ORDER BY id LIMIT :take")
                .bind("client_id", clientId).bind("audience", audience).bind("from", fromId).bind("take", take)
                .map(MAPPER).list());
    }

    /** Filters are added only when given: PostgreSQL cannot type a bare NULL parameter. */
    private static String where(String clientId, String audience) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (clientId != null) {
            where.append(" AND client_id = :client_id");
        }
        if (audience != null) {
            where.append(" AND audience = :audience");
        }
        return where.toString();
    }

    @Override
    public void update(ClientGrant grant) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE client_grants SET scope = :scope WHERE id = :id")
                .bind("id", grant.id()).bind("scope", JsonColumns.write(grant.scope())).execute());
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM client_grants WHERE id = :id")
                .bind("id", id).execute()) > 0;
    }

    @Override
    public void moveAudience(String from, String to) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE client_grants SET audience = :to WHERE audience = :from")
                .bind("from", from).bind("to", to).execute());
    }

    @Override
    public void deleteByAudience(String audience) {
        jdbi.useTransaction(h -> {
            // The Auth0 properties kept for these grants go with them (KeptFieldsStore).
            h.createUpdate("DELETE FROM kept_fields WHERE kind = 'client_grant' AND id IN "
                    + "(SELECT id FROM client_grants WHERE audience = :audience)").bind("audience", audience).execute();
            h.createUpdate("DELETE FROM client_grants WHERE audience = :audience")
                    .bind("audience", audience).execute();
        });
    }
}
