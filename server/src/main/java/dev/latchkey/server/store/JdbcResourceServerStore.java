package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementException;

import java.util.List;
import java.util.Optional;

public final class JdbcResourceServerStore implements ResourceServerStore {

    private static final String SECRET_PURPOSE = "resource_servers.signing_secret";
    private static final TypeReference<List<ApiScope>> SCOPES = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final MasterKey masterKey;
    private final RowMapper<ResourceServer> mapper;

    public JdbcResourceServerStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
        this.mapper = (rs, ctx) -> new ResourceServer(
                rs.getString("id"),
                rs.getString("identifier"),
                rs.getString("name"),
                rs.getBoolean("is_system"),
                JsonColumns.read(rs.getString("scopes"), SCOPES),
                SigningAlgorithm.valueOf(rs.getString("signing_alg")),
                openSecret(rs.getString("signing_secret_encrypted")),
                rs.getInt("token_lifetime"),
                rs.getInt("token_lifetime_for_web"),
                rs.getBoolean("allow_offline_access"),
                rs.getBoolean("skip_consent"),
                rs.getBoolean("enforce_policies"),
                TokenDialect.parse(rs.getString("token_dialect")).orElseThrow(),
                Times.instant(rs.getLong("created_at")),
                Times.instant(rs.getLong("updated_at")));
    }

    @Override
    public void create(ResourceServer api) {
        try {
            jdbi.useHandle(h -> bindAll(h.createUpdate("""
                    INSERT INTO resource_servers (id, identifier, name, is_system, scopes, signing_alg,
                        signing_secret_encrypted, token_lifetime, token_lifetime_for_web, allow_offline_access,
                        skip_consent, enforce_policies, token_dialect, created_at, updated_at)
                    VALUES (:id, :identifier, :name, :is_system, :scopes, :signing_alg, :secret, :token_lifetime,
                        :token_lifetime_for_web, :allow_offline_access, :skip_consent, :enforce_policies,
                        :token_dialect, :created_at, :updated_at)"""), api).execute());
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A resource server with the same identifier already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<ResourceServer> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM resource_servers WHERE id = :id")
                .bind("id", id).map(mapper).findOne());
    }

    @Override
    public Optional<ResourceServer> findByIdentifier(String identifier) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM resource_servers WHERE identifier = :identifier")
                .bind("identifier", identifier).map(mapper).findOne());
    }

    @Override
    public Optional<ResourceServer> findSystem() {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM resource_servers WHERE is_system = TRUE")
                .map(mapper).findFirst());
    }

    @Override
    public Page<ResourceServer> list(PageRequest page) {
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("SELECT * FROM resource_servers ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                        .bind("limit", page.perPage()).bind("offset", page.offset()).map(mapper).list(),
                count(h)));
    }

    @Override
    public void update(ResourceServer api) {
        try {
            jdbi.useTransaction(h -> {
                bindAll(h.createUpdate("""
                    UPDATE resource_servers SET identifier = :identifier, name = :name, is_system = :is_system,
                        scopes = :scopes, signing_alg = :signing_alg, signing_secret_encrypted = :secret,
                        token_lifetime = :token_lifetime, token_lifetime_for_web = :token_lifetime_for_web,
                        allow_offline_access = :allow_offline_access, skip_consent = :skip_consent,
                        enforce_policies = :enforce_policies, token_dialect = :token_dialect,
                        updated_at = :updated_at
                    WHERE id = :id"""), api).execute();
                // Roles and users keep only permissions the API still defines (RBAC, Auth0 §2.2).
                PermissionRows.dropUndefined(h, api.identifier(), api.scopeValues());
            });
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                throw new DuplicateKeyException("A resource server with the same identifier already exists");
            }
            throw e;
        }
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM resource_servers WHERE id = :id")
                .bind("id", id).execute()) > 0;
    }

    private long count(Handle h) {
        return h.createQuery("SELECT COUNT(*) FROM resource_servers").mapTo(Long.class).one();
    }

    private <S extends SqlStatement<S>> S bindAll(S statement, ResourceServer api) {
        return statement
                .bind("id", api.id())
                .bind("identifier", api.identifier())
                .bind("name", api.name())
                .bind("is_system", api.system())
                .bind("scopes", JsonColumns.write(api.scopes()))
                .bind("signing_alg", api.signingAlg().name())
                .bind("secret", api.signingSecret() == null ? null : masterKey.seal(api.signingSecret(), SECRET_PURPOSE))
                .bind("token_lifetime", api.tokenLifetime())
                .bind("token_lifetime_for_web", api.tokenLifetimeForWeb())
                .bind("allow_offline_access", api.allowOfflineAccess())
                .bind("skip_consent", api.skipConsentForVerifiableFirstPartyClients())
                .bind("enforce_policies", api.enforcePolicies())
                .bind("token_dialect", api.tokenDialect().value())
                .bind("created_at", Times.millis(api.createdAt()))
                .bind("updated_at", Times.millis(api.updatedAt()));
    }

    private String openSecret(String sealed) {
        return sealed == null ? null : masterKey.openString(sealed, SECRET_PURPOSE);
    }
}
