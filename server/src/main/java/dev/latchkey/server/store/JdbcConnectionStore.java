package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcConnectionStore implements ConnectionStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final RowMapper<Connection> MAPPER = (rs, ctx) -> new Connection(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("strategy"),
            rs.getString("display_name"),
            JsonColumns.strings(rs.getString("enabled_clients")),
            JsonColumns.read(rs.getString("options"), OBJECT),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("updated_at")));

    private final Jdbi jdbi;

    public JdbcConnectionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(Connection connection) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO connections (id, name, strategy, display_name, enabled_clients, options,
                                created_at, updated_at)
                            VALUES (:id, :name, :strategy, :display_name, :enabled_clients, :options, :created_at,
                                :updated_at)""")
                    .bind("id", connection.id())
                    .bind("name", connection.name())
                    .bind("strategy", connection.strategy())
                    .bind("display_name", connection.displayName())
                    .bind("enabled_clients", JsonColumns.write(connection.enabledClients()))
                    .bind("options", JsonColumns.write(connection.options()))
                    .bind("created_at", Times.millis(connection.createdAt()))
                    .bind("updated_at", Times.millis(connection.updatedAt()))
                    .execute());
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A connection with the same name already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<Connection> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections WHERE name = :name")
                .bind("name", name).map(MAPPER).findOne());
    }

    @Override
    public Optional<Connection> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public List<Connection> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections ORDER BY created_at, id")
                .map(MAPPER).list());
    }
}
