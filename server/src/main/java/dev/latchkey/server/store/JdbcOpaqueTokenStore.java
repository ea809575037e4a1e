package dev.latchkey.server.store;

import dev.latchkey.server.token.OpaqueToken;
import dev.latchkey.server.token.OpaqueTokenStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class JdbcOpaqueTokenStore implements OpaqueTokenStore {

    private static final RowMapper<OpaqueToken> MAPPER = (rs, ctx) -> new OpaqueToken(
            rs.getString("token_hash"),
            rs.getString("client_id"),
            rs.getString("user_id"),
            rs.getString("scope").isEmpty() ? List.of() : Arrays.asList(rs.getString("scope").split(" ")),
            rs.getString("authorization_id"),
            Times.instant(rs.getLong("issued_at")),
            Times.instant(rs.getLong("expires_at")));

    private final Jdbi jdbi;

    public JdbcOpaqueTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void create(OpaqueToken token) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO opaque_tokens (token_hash, client_id, user_id, scope, authorization_id, issued_at,
                    expires_at)
                VALUES (:token_hash, :client_id, :user_id, :scope, :authorization_id, :issued_at, :expires_at)""")
                .bind("token_hash", token.tokenHash())
                .bind("client_id", token.clientId())
                .bind("user_id", token.userId())
                .bind("scope", String.join(" ", token.scopes()))
                .bind("authorization_id", token.authorizationId())
                .bind("issued_at", Times.millis(token.issuedAt()))
                .bind("expires_at", Times.millis(token.expiresAt()))
                .execute());
    }

    @Override
    public Optional<OpaqueToken> find(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM opaque_tokens WHERE token_hash = :token_hash")
                .bind("token_hash", tokenHash).map(MAPPER).findOne());
    }

    @Override
    public boolean delete(String tokenHash) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM opaque_tokens WHERE token_hash = :token_hash")
                .bind("token_hash", tokenHash).execute() > 0);
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(java.time.Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "opaque_tokens", java.util.List.of("token_hash"), now, batch));
    }
}
