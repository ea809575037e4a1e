package dev.latchkey.server.store;

import dev.latchkey.server.oauth.device.DeviceCode;
import dev.latchkey.server.oauth.device.DeviceCodeStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class JdbcDeviceCodeStore implements DeviceCodeStore {

    private static final RowMapper<DeviceCode> MAPPER = (rs, ctx) -> new DeviceCode(
            rs.getString("id"),
            rs.getString("device_code_hash"),
            rs.getString("user_code_hash"),
            rs.getString("client_id"),
            scopes(rs.getString("scope")),
            rs.getString("audience"),
            DeviceCode.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            rs.getString("user_id") == null ? null : new DeviceCode.Approval(rs.getString("user_id"),
                    scopes(rs.getString("granted_scope")), rs.getString("authorization_id"),
                    Times.nullableInstant(rs.getObject("auth_time", Long.class)), rs.getString("sid")),
            rs.getInt("interval_seconds"),
            rs.getLong("polled_at") == 0 ? null : Times.instant(rs.getLong("polled_at")),
            rs.getBoolean("slowed"),
            Times.instant(rs.getLong("issued_at")),
            Times.instant(rs.getLong("valid_until")),
            Times.instant(rs.getLong("expires_at")));

    private final Jdbi jdbi;

    public JdbcDeviceCodeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean create(DeviceCode code) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO device_codes (id, device_code_hash, user_code_hash, client_id, scope, audience, status,
                        interval_seconds, polled_at, slowed, issued_at, valid_until, expires_at)
                    VALUES (:id, :device_code_hash, :user_code_hash, :client_id, :scope, :audience, :status,
                        :interval_seconds, :polled_at, :slowed, :issued_at, :valid_until, :expires_at)""")
                    .bind("id", code.id())
                    .bind("device_code_hash", code.deviceCodeHash())
                    .bind("user_code_hash", code.userCodeHash())
                    .bind("client_id", code.clientId())
                    .bind("scope", String.join(" ", code.scopes()))
                    .bind("audience", code.audience())
                    .bind("status", status(code.status()))
                    .bind("interval_seconds", code.intervalSeconds())
                    .bind("polled_at", polledAt(code.polledAt()))
                    .bind("slowed", code.slowed())
                    .bind("issued_at", Times.millis(code.issuedAt()))
                    .bind("valid_until", Times.millis(code.validUntil()))
                    .bind("expires_at", Times.millis(code.expiresAt()))
                    .execute());
            return true;
        } catch (RuntimeException e) {
            if (UniqueViolations.is(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<DeviceCode> findByDeviceCode(String deviceCodeHash) {
        return find("device_code_hash", deviceCodeHash);
    }

    @Override
    public Optional<DeviceCode> findByUserCode(String userCodeHash) {
        return find("user_code_hash", userCodeHash);
    }

    @Override
    public Optional<DeviceCode> findById(String id) {
        return find("id", id);
    }

    private Optional<DeviceCode> find(String column, String value) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM device_codes WHERE " + column + " = :value")
                .bind("value", value).map(MAPPER).findOne());
    }

    @Override
    public boolean approve(String id, DeviceCode.Approval approval, Instant now) {
        // One conditional UPDATE: of two users deciding on one code, one wins, whatever the node.
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE device_codes SET status = 'approved', user_id = :user_id, granted_scope = :granted_scope,
                    authorization_id = :authorization_id, auth_time = :auth_time, sid = :sid
                WHERE id = :id AND status = 'pending' AND valid_until > :now""")
                .bind("id", id)
                .bind("user_id", approval.userId())
                .bind("granted_scope", String.join(" ", approval.scopes()))
                .bind("authorization_id", approval.authorizationId())
                .bind("auth_time", approval.authTime() == null ? null : Times.millis(approval.authTime()))
                .bind("sid", approval.sid())
                .bind("now", Times.millis(now))
                .execute()) == 1;
    }

    @Override
    public boolean deny(String id, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE device_codes SET status = 'denied' WHERE id = :id AND status = 'pending' AND valid_until > :now""")
                .bind("id", id).bind("now", Times.millis(now)).execute()) == 1;
    }

    @Override
    public boolean polled(String deviceCodeHash, Instant previousPoll, Instant now) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE device_codes SET polled_at = :now, slowed = FALSE
                WHERE device_code_hash = :hash AND polled_at = :previous""")
                .bind("hash", deviceCodeHash)
                .bind("previous", polledAt(previousPoll))
                .bind("now", Times.millis(now))
                .execute()) == 1;
    }

    @Override
    public boolean slowDown(String deviceCodeHash, Instant previousPoll, int intervalSeconds) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE device_codes SET interval_seconds = :interval, slowed = TRUE
                WHERE device_code_hash = :hash AND polled_at = :previous AND slowed = FALSE""")
                .bind("hash", deviceCodeHash)
                .bind("previous", polledAt(previousPoll))
                .bind("interval", intervalSeconds)
                .execute()) == 1;
    }

    @Override
    public Optional<Consumed> consume(String deviceCodeHash, String clientId) {
        return jdbi.inTransaction(h -> {
            // One conditional UPDATE decides who was first, whatever the number of nodes; only the code's own
            // client may use it (RFC 8628 §3.4).
            int first = h.createUpdate("""
                    UPDATE device_codes SET status = 'used'
                    WHERE device_code_hash = :hash AND client_id = :client_id AND status = 'approved'""")
                    .bind("hash", deviceCodeHash).bind("client_id", clientId).execute();
            Optional<DeviceCode> row = h.createQuery(
                            "SELECT * FROM device_codes WHERE device_code_hash = :hash AND client_id = :client_id")
                    .bind("hash", deviceCodeHash).bind("client_id", clientId).map(MAPPER).findOne();
            return row.filter(code -> first == 1 || code.status() == DeviceCode.Status.USED)
                    .map(code -> first == 1 ? new Consumed.First(code) : new Consumed.Replayed(code));
        });
    }

    @Override
    public boolean expire(String deviceCodeHash) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE device_codes SET status = 'expired'
                WHERE device_code_hash = :hash AND status IN ('pending', 'approved', 'denied')""")
                .bind("hash", deviceCodeHash).execute()) == 1;
    }

    /** Deletes up to {@code batch} expired rows (for the sweeper). */
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "device_codes", List.of("id"), now, batch));
    }

    private static String status(DeviceCode.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static long polledAt(Instant polledAt) {
        return polledAt == null ? 0 : Times.millis(polledAt);
    }

    private static List<String> scopes(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
    }
}
