package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.upstream.UpstreamLogin;
import dev.latchkey.server.upstream.UpstreamLoginStore;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Logins at upstream providers; the transaction id, PKCE verifier and nonce are sealed together under the
 * master key ({@value #PURPOSE}, bound to the state digest): a copy of the table does not resume anyone's login.
 */
public final class JdbcUpstreamLoginStore implements UpstreamLoginStore {

    private static final String PURPOSE = "upstream-login";
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };

    private final Jdbi jdbi;
    private final MasterKey masterKey;
    /** One statement deletes the row and answers what it held: the single winner, in one round trip. */
    private final String consume;

    public JdbcUpstreamLoginStore(Jdbi jdbi, MasterKey masterKey) {
        this.jdbi = jdbi;
        this.masterKey = masterKey;
        this.consume = DatabaseKind.postgres(jdbi)
                ? "DELETE FROM upstream_logins WHERE state_hash = :s RETURNING connection, payload, expires_at"
                : "SELECT connection, payload, expires_at FROM OLD TABLE (DELETE FROM upstream_logins"
                        + " WHERE state_hash = :s)";
    }

    @Override
    public void create(UpstreamLogin login) {
        String payload = masterKey.seal(JsonColumns.write(Map.of("transaction", login.transactionId(),
                "verifier", login.codeVerifier(), "nonce", login.nonce())), PURPOSE + ":" + login.stateHash());
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO upstream_logins (state_hash, connection, payload, expires_at)
                        VALUES (:state_hash, :connection, :payload, :expires_at)""")
                .bind("state_hash", login.stateHash())
                .bind("connection", login.connection())
                .bind("payload", payload)
                .bind("expires_at", Times.millis(login.expiresAt()))
                .execute());
    }

    @Override
    public Optional<UpstreamLogin> consume(String stateHash, Instant now) {
        // The DELETE decides the single winner: a concurrent callback deletes nothing and gets nothing.
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery(consume).bind("s", stateHash)
                .map((rs, ctx) -> new Row(rs.getString("connection"), rs.getString("payload"),
                        rs.getLong("expires_at"))).findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Instant expiresAt = Times.instant(row.get().expiresAt());
        if (!now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        Map<String, String> payload = JsonColumns.read(masterKey.openString(row.get().payload(),
                PURPOSE + ":" + stateHash), STRINGS);
        return Optional.of(new UpstreamLogin(stateHash, row.get().connection(),
                payload.get("transaction"), payload.get("verifier"), payload.get("nonce"), expiresAt));
    }

    private record Row(String connection, String payload, long expiresAt) {
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "upstream_logins", java.util.List.of("state_hash"), now,
                batch));
    }
}
