package dev.latchkey.server.store;

import dev.latchkey.server.oauth.grant.AuthorizationCode;
import dev.latchkey.server.oauth.grant.AuthorizationCodeStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

public final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {

    private static final RowMapper<AuthorizationCode> MAPPER = (rs, ctx) -> new AuthorizationCode(
            rs.getString("code_hash"),
            rs.getString("client_id"),
            rs.getString("redirect_uri"),
            rs.getString("code_challenge"),
            rs.getString("code_challenge_method"),
            rs.getString("nonce"),
            scopes(rs.getString("scope")),
            rs.getString("audience"),
            rs.getString("user_id"),
            Times.instant(rs.getLong("auth_time")),
            rs.getString("sid"),
            Times.instant(rs.getLong("issued_at")),
            Times.instant(rs.getLong("valid_until")),
            Times.nullableInstant(rs.getObject("consumed_at", Long.class)),
            Times.instant(rs.getLong("expires_at")),
            rs.getString("authorization_id"),
            rs.getString("acr"),
            rs.getBoolean("redirect_uri_given"));

    private static final String SPEND = """
            UPDATE authorization_codes SET consumed_at = :now, expires_at = :keep_until
            WHERE code_hash = :code_hash AND client_id = :client_id AND consumed_at IS NULL""";

    private final Jdbi jdbi;
    /** The conditional UPDATE answering the row it spent, so that the first use is one statement. */
    private final String spend;

    public JdbcAuthorizationCodeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.spend = DatabaseKind.postgres(jdbi) ? SPEND + " RETURNING *" : "SELECT * FROM FINAL TABLE (" + SPEND + ")";
    }

    @Override
    public void create(AuthorizationCode code) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge,
                    code_challenge_method, nonce, scope, audience, user_id, auth_time, sid, issued_at,
                    valid_until, expires_at, authorization_id, acr, redirect_uri_given)
                VALUES (:code_hash, :client_id, :redirect_uri, :code_challenge, :code_challenge_method, :nonce,
                    :scope, :audience, :user_id, :auth_time, :sid, :issued_at, :valid_until, :expires_at,
                    :authorization_id, :acr, :redirect_uri_given)""")
                .bind("code_hash", code.codeHash())
                .bind("client_id", code.clientId())
                .bind("redirect_uri", code.redirectUri())
                .bind("code_challenge", code.codeChallenge())
                .bind("code_challenge_method", code.codeChallengeMethod())
                .bind("nonce", code.nonce())
                .bind("scope", String.join(" ", code.scopes()))
                .bind("audience", code.audience())
                .bind("user_id", code.userId())
                .bind("auth_time", Times.millis(code.authTime()))
                .bind("sid", code.sid())
                .bind("issued_at", Times.millis(code.issuedAt()))
                .bind("valid_until", Times.millis(code.validUntil()))
                .bind("expires_at", Times.millis(code.expiresAt()))
                .bind("authorization_id", code.authorizationId())
                .bind("acr", code.acr())
                .bind("redirect_uri_given", code.redirectUriGiven())
                .execute());
    }

    @Override
    public Optional<Consumed> consume(String codeHash, String clientId, Instant now, Instant keepUntil) {
        return jdbi.withHandle(h -> {
            // One conditional UPDATE decides who was first, whatever the number of nodes. Only the
            // code's own client may use it up (RFC 6749 §4.1.3).
            Optional<AuthorizationCode> first = h.createQuery(spend)
                    .bind("now", Times.millis(now))
                    .bind("keep_until", Times.millis(keepUntil))
                    .bind("code_hash", codeHash)
                    .bind("client_id", clientId)
                    .map(MAPPER).findOne();
            if (first.isPresent()) {
                return first.map(Consumed.First::new);
            }
            // Spent before (a replay) or unknown to this client.
            return h.createQuery(
                            "SELECT * FROM authorization_codes WHERE code_hash = :code_hash AND client_id = :client_id")
                    .bind("code_hash", codeHash).bind("client_id", clientId).map(MAPPER).findOne()
                    .map(Consumed.Replayed::new);
        });
    }

    private static List<String> scopes(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(java.time.Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "authorization_codes", java.util.List.of("code_hash"), now, batch));
    }
}
