package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.keys.MasterKey;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Connections; an upstream's client secret is sealed under the master key ({@value #SECRET_PURPOSE}). */
public final class JdbcConnectionStore implements ConnectionStore {

    static final String SECRET_PURPOSE = "connection-secret";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final MasterKey masterKey;

    public JdbcConnectionStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
    }

    private Connection map(ResultSet rs) throws SQLException {
        String sealed = rs.getString("sealed_secret");
        String realms = rs.getString("realms");
        String metadata = rs.getString("metadata");
        Object domain = rs.getObject("is_domain_connection");
        Object button = rs.getObject("show_as_button");
        return new Connection(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("strategy"),
                rs.getString("display_name"),
                JsonColumns.strings(rs.getString("enabled_clients")),
                JsonColumns.read(rs.getString("options"), OBJECT),
                sealed == null ? null : masterKey.openString(sealed, SECRET_PURPOSE + ":" + rs.getString("id")),
                realms == null ? List.of() : JsonColumns.strings(realms),
                metadata == null ? Map.of() : JsonColumns.read(metadata, STRINGS),
                domain != null && rs.getBoolean("is_domain_connection"),
                button == null || rs.getBoolean("show_as_button"),
                Times.instant(rs.getLong("created_at")),
                Times.instant(rs.getLong("updated_at")));
    }

    @Override
    public void create(Connection connection) {
        try {
            jdbi.useHandle(h -> bind(h.createUpdate("""
                            INSERT INTO connections (id, name, strategy, display_name, enabled_clients, options,
                                realms, metadata, is_domain_connection, show_as_button, sealed_secret,
                                created_at, updated_at)
                            VALUES (:id, :name, :strategy, :display_name, :enabled_clients, :options, :realms,
                                :metadata, :is_domain_connection, :show_as_button, :sealed_secret, :created_at,
                                :updated_at)"""), connection)
                    .bind("name", connection.name())
                    .bind("strategy", connection.strategy())
                    .bind("created_at", Times.millis(connection.createdAt()))
                    .execute());
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A connection with the same name already exists");
            }
            throw e;
        }
    }

    @Override
    public boolean update(Connection connection) {
        return jdbi.withHandle(h -> bind(h.createUpdate("""
                        UPDATE connections SET display_name = :display_name, enabled_clients = :enabled_clients,
                            options = :options, realms = :realms, metadata = :metadata,
                            is_domain_connection = :is_domain_connection, show_as_button = :show_as_button,
                            sealed_secret = :sealed_secret, updated_at = :updated_at
                        WHERE id = :id"""), connection).execute() > 0);
    }

    private <S extends SqlStatement<S>> S bind(S statement, Connection connection) {
        return statement
                .bind("id", connection.id())
                .bind("display_name", connection.displayName())
                .bind("enabled_clients", JsonColumns.write(connection.enabledClients()))
                .bind("options", JsonColumns.write(connection.options()))
                .bind("realms", JsonColumns.write(connection.realms()))
                .bind("metadata", JsonColumns.write(connection.metadata()))
                .bind("is_domain_connection", connection.domainConnection())
                .bind("show_as_button", connection.showAsButton())
                // The id is bound as additional data: a sealed secret cannot be moved to another connection.
                .bind("sealed_secret", connection.clientSecret() == null ? null
                        : masterKey.seal(connection.clientSecret(), SECRET_PURPOSE + ":" + connection.id()))
                .bind("updated_at", Times.millis(connection.updatedAt()));
    }

    @Override
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            Optional<String> name = h.createQuery("SELECT name FROM connections WHERE id = :id").bind("id", id)
                    .mapTo(String.class).findOne();
            if (name.isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM user_identities WHERE connection = :name").bind("name", name.get()).execute();
            h.createUpdate("DELETE FROM upstream_logins WHERE connection = :name").bind("name", name.get()).execute();
            return h.createUpdate("DELETE FROM connections WHERE id = :id").bind("id", id).execute() > 0;
        });
    }

    @Override
    public List<String> userIds(String name, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM users WHERE connection = :name LIMIT :limit")
                .bind("name", name).bind("limit", limit).mapTo(String.class).list());
    }

    @Override
    public Optional<Connection> findByName(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public Optional<Connection> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
    }

    @Override
    public List<Connection> list() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM connections ORDER BY created_at, id")
                .map((rs, ctx) -> map(rs)).list());
    }
}
