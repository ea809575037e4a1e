package dev.latchkey.server.store;

import dev.latchkey.server.interaction.LoginTransaction;
import dev.latchkey.server.interaction.LoginTransactionStore;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class JdbcLoginTransactionStore implements LoginTransactionStore {

    private static final String DEVICE_APPROVAL = "device_approval";

    private static final RowMapper<LoginTransaction> MAPPER = (rs, ctx) -> new LoginTransaction(
            rs.getString("id_hash"),
            outcome(rs.getString("kind"), JsonColumns.read(rs.getString("request"), CheckedAuthorization.class),
                    rs.getString("device_code_id")),
            rs.getString("csrf_hash"),
            rs.getString("network"),
            rs.getString("user_id"),
            Times.nullableInstant((Long) rs.getObject("auth_time", Long.class)),
            rs.getString("sid"),
            Times.instant(rs.getLong("created_at")),
            Times.instant(rs.getLong("expires_at")));

    private static final String COLUMNS = """
            (id_hash, client_id, request, csrf_hash, network, created_at, expires_at, kind, device_code_id, user_id,
                auth_time, sid)""";
    private static final String VALUES = """
            VALUES (:id_hash, :client_id, :request, :csrf_hash, :network, :created_at, :expires_at, :kind,
                :device_code_id, :user_id, :auth_time, :sid)""";

    private final Jdbi jdbi;
    /**
     * An insert that takes the login instead when the row is there already: a transaction carried in a sealed
     * upstream state can come back more than once (a provider with a session of its own answers the same state
     * again), and each answer stores it when a page follows.
     */
    private final String save;

    public JdbcLoginTransactionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.save = DatabaseKind.postgres(jdbi)
                ? "INSERT INTO login_transactions " + COLUMNS + " " + VALUES + " ON CONFLICT (id_hash) DO UPDATE"
                        + " SET user_id = EXCLUDED.user_id, auth_time = EXCLUDED.auth_time, sid = EXCLUDED.sid"
                : "MERGE INTO login_transactions " + COLUMNS + " KEY (id_hash) " + VALUES;
    }

    @Override
    public void create(LoginTransaction tx) {
        jdbi.useHandle(h -> h.createUpdate(save)
                .bind("id_hash", tx.idHash())
                .bind("user_id", tx.userId())
                .bind("auth_time", tx.authTime() == null ? null : Times.millis(tx.authTime()))
                .bind("sid", tx.sid())
                .bind("network", tx.network())
                .bind("client_id", tx.outcome().request().clientId())
                .bind("request", JsonColumns.write(tx.outcome().request()))
                .bind("csrf_hash", tx.csrfHash())
                .bind("created_at", Times.millis(tx.createdAt()))
                .bind("expires_at", Times.millis(tx.expiresAt()))
                .bind("kind", tx.outcome() instanceof Outcome.DeviceApproval ? DEVICE_APPROVAL : null)
                .bind("device_code_id", tx.outcome() instanceof Outcome.DeviceApproval device
                        ? device.deviceCodeId() : null)
                .execute());
    }

    /** The kind column: null for an authorization response (every row before V12), or a device approval. */
    private static Outcome outcome(String kind, CheckedAuthorization request, String deviceCodeId) {
        return DEVICE_APPROVAL.equals(kind) ? new Outcome.DeviceApproval(request, deviceCodeId)
                : new Outcome.AuthorizationResponse(request);
    }

    @Override
    public Optional<LoginTransaction> find(String idHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM login_transactions WHERE id_hash = :id_hash")
                .bind("id_hash", idHash).map(MAPPER).findOne());
    }

    @Override
    public void authenticated(String idHash, String userId, Instant authTime, String sid) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE login_transactions SET user_id = :user_id, auth_time = :auth_time, sid = :sid
                WHERE id_hash = :id_hash""")
                .bind("id_hash", idHash)
                .bind("user_id", userId)
                .bind("auth_time", Times.millis(authTime))
                .bind("sid", sid)
                .execute());
    }

    @Override
    public void delete(String idHash) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM login_transactions WHERE id_hash = :id_hash")
                .bind("id_hash", idHash).execute());
    }

    @Override
    public int countOpen(String network, Instant now) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM login_transactions WHERE network = :network AND expires_at > :now")
                .bind("network", network).bind("now", Times.millis(now)).mapTo(Integer.class).one());
    }

    @Override
    public void deleteOldest(String network, int count) {
        // Keys first, then deletes by key: both databases run these by index (see ExpiredRows).
        jdbi.useHandle(h -> {
            List<String> oldest = h.createQuery("""
                            SELECT id_hash FROM login_transactions WHERE network = :network
                            ORDER BY created_at, id_hash LIMIT :count""")
                    .bind("network", network).bind("count", count).mapTo(String.class).list();
            PreparedBatch delete = h.prepareBatch("DELETE FROM login_transactions WHERE id_hash = :id_hash");
            oldest.forEach(id -> delete.bind("id_hash", id).add());
            if (!oldest.isEmpty()) {
                delete.execute();
            }
        });
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(java.time.Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "login_transactions", java.util.List.of("id_hash"), now, batch));
    }
}
