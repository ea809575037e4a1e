package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientSecret;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.JwtConfiguration;
import dev.latchkey.server.registry.RefreshTokenSettings;
import dev.latchkey.server.registry.TokenEndpointAuthMethod;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementException;

import java.util.List;
import java.util.Optional;

public final class JdbcClientStore implements ClientStore {

    private static final TypeReference<JwtConfiguration> JWT_CONFIGURATION = new TypeReference<>() {
    };
    private static final RowMapper<Client> MAPPER = (rs, ctx) -> new Client(
            rs.getString("client_id"),
            rs.getString("name"),
            rs.getString("description"),
            AppType.parse(rs.getString("app_type")).orElseThrow(),
            rs.getBoolean("is_first_party"),
            rs.getBoolean("is_system"),
            TokenEndpointAuthMethod.parse(rs.getString("token_endpoint_auth_method")).orElseThrow(),
            rs.getString("secret_hash") == null ? null
                    : new ClientSecret(rs.getString("secret_hash"), rs.getString("secret_encrypted")),
            JsonColumns.strings(rs.getString("grant_types")),
            JsonColumns.strings(rs.getString("callbacks")),
            JsonColumns.strings(rs.getString("allowed_logout_urls")),
            JsonColumns.strings(rs.getString("web_origins")),
            JsonColumns.strings(rs.getString("allowed_origins")),
            JsonColumns.read(rs.getString("jwt_configuration"), JWT_CONFIGURATION),
            JsonColumns.stringMap(rs.getString("client_metadata")),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("updated_at")),
            rs.getString("refresh_token") == null ? null
                    : JsonColumns.read(rs.getString("refresh_token"), RefreshTokenSettings.class),
            rs.getBoolean("is_token_endpoint_ip_header_trusted"));

    private final Jdbi jdbi;

    public JdbcClientStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(Client client) {
        try {
            jdbi.useHandle(h -> bindAll(h.createUpdate("""
                INSERT INTO clients (client_id, name, description, app_type, is_first_party, is_system,
                    token_endpoint_auth_method, secret_hash, secret_encrypted, grant_types, callbacks,
                    allowed_logout_urls, web_origins, allowed_origins, jwt_configuration, client_metadata,
                    created_at, updated_at, refresh_token, is_token_endpoint_ip_header_trusted)
                VALUES (:client_id, :name, :description, :app_type, :is_first_party, :is_system,
                    :token_endpoint_auth_method, :secret_hash, :secret_encrypted, :grant_types, :callbacks,
                    :allowed_logout_urls, :web_origins, :allowed_origins, :jwt_configuration, :client_metadata,
                    :created_at, :updated_at, :refresh_token, :is_token_endpoint_ip_header_trusted)"""), client).execute());
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A client with this client_id already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<Client> findById(String clientId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM clients WHERE client_id = :id")
                .bind("id", clientId).map(MAPPER).findOne());
    }

    @Override
    public Page<Client> list(PageRequest page) {
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("SELECT * FROM clients ORDER BY created_at, client_id LIMIT :limit OFFSET :offset")
                        .bind("limit", page.perPage()).bind("offset", page.offset()).map(MAPPER).list(),
                h.createQuery("SELECT COUNT(*) FROM clients").mapTo(Long.class).one()));
    }

    @Override
    public List<Client> after(String fromId, int take) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM clients"
                        + (fromId == null ? "" : " WHERE client_id > :from") + " ORDER BY client_id LIMIT :take")
                .bind("from", fromId).bind("take", take).map(MAPPER).list());
    }

    @Override
    public void update(Client client) {
        jdbi.useHandle(h -> bindAll(h.createUpdate("""
                UPDATE clients SET name = :name, description = :description, app_type = :app_type,
                    is_first_party = :is_first_party, is_system = :is_system,
                    token_endpoint_auth_method = :token_endpoint_auth_method, secret_hash = :secret_hash,
                    secret_encrypted = :secret_encrypted, grant_types = :grant_types, callbacks = :callbacks,
                    allowed_logout_urls = :allowed_logout_urls, web_origins = :web_origins,
                    allowed_origins = :allowed_origins, jwt_configuration = :jwt_configuration,
                    client_metadata = :client_metadata, updated_at = :updated_at,
                    refresh_token = :refresh_token,
                    is_token_endpoint_ip_header_trusted = :is_token_endpoint_ip_header_trusted
                WHERE client_id = :client_id"""), client).execute());
    }

    @Override
    public boolean delete(String clientId) {
        return jdbi.inTransaction(h -> {
            // The Auth0 properties kept for its grants go with them (KeptFieldsStore).
            h.createUpdate("DELETE FROM kept_fields WHERE kind = 'client_grant' AND id IN "
                    + "(SELECT id FROM client_grants WHERE client_id = :id)").bind("id", clientId).execute();
            h.createUpdate("DELETE FROM client_grants WHERE client_id = :id").bind("id", clientId).execute();
            return h.createUpdate("DELETE FROM clients WHERE client_id = :id").bind("id", clientId).execute() > 0;
        });
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, Client client) {
        return statement
                .bind("client_id", client.clientId())
                .bind("name", client.name())
                .bind("description", client.description())
                .bind("app_type", client.appType().value())
                .bind("is_first_party", client.firstParty())
                .bind("is_system", client.system())
                .bind("token_endpoint_auth_method", client.tokenEndpointAuthMethod().value())
                .bind("secret_hash", client.secret() == null ? null : client.secret().sha256Hex())
                .bind("secret_encrypted", client.secret() == null ? null : client.secret().sealed())
                .bind("grant_types", JsonColumns.write(client.grantTypes()))
                .bind("callbacks", JsonColumns.write(client.callbacks()))
                .bind("allowed_logout_urls", JsonColumns.write(client.allowedLogoutUrls()))
                .bind("web_origins", JsonColumns.write(client.webOrigins()))
                .bind("allowed_origins", JsonColumns.write(client.allowedOrigins()))
                .bind("jwt_configuration", JsonColumns.write(client.jwtConfiguration()))
                .bind("client_metadata", JsonColumns.write(client.clientMetadata()))
                .bind("created_at", Times.millis(client.createdAt()))
                .bind("updated_at", Times.millis(client.updatedAt()))
                .bind("refresh_token", JsonColumns.write(client.refreshToken()))
                .bind("is_token_endpoint_ip_header_trusted", client.ipHeaderTrusted());
    }
}
