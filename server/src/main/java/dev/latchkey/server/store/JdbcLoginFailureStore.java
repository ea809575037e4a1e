package dev.latchkey.server.store;

import dev.latchkey.server.identity.LoginFailureStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Counters as rows updated in place: {@code UPDATE ... SET failures = failures + 1}, and an INSERT
 * when there is no row yet (retrying the UPDATE when another node inserted first). Plain statements
 * in autocommit, so the same code is atomic on H2 and PostgreSQL without dialect-specific upserts.
 */
public final class JdbcLoginFailureStore implements LoginFailureStore {

    private final Jdbi jdbi;

    public JdbcLoginFailureStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<PairState> pair(String subject, String ip) {
        return jdbi.withHandle(h -> readPair(h, subject, ip));
    }

    @Override
    public PairState recordPairFailure(String subject, String ip, int threshold, Instant now, Instant expiresAt) {
        return jdbi.withHandle(h -> {
            increment(h, handle -> incrementPair(handle, subject, ip, threshold, now, expiresAt),
                    handle -> handle.createUpdate("""
                                    INSERT INTO login_failures (subject_hash, ip, failures, blocked_at, updated_at,
                                        expires_at)
                                    VALUES (:subject, :ip, 1, :blocked_at, :now, :expires_at)""")
                            .bind("subject", subject).bind("ip", ip)
                            .bind("blocked_at", threshold <= 1 ? Long.valueOf(Times.millis(now)) : null)
                            .bind("now", Times.millis(now)).bind("expires_at", Times.millis(expiresAt))
                            .execute());
            return readPair(h, subject, ip).orElse(new PairState(1, null));
        });
    }

    @Override
    public void clearPair(String subject, String ip) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM login_failures WHERE subject_hash = :subject AND ip = :ip")
                .bind("subject", subject).bind("ip", ip).execute());
    }

    @Override
    public Optional<AccountState> account(String subject) {
        return jdbi.withHandle(h -> readAccount(h, subject));
    }

    @Override
    public AccountState recordAccountFailure(String subject, Instant now, Instant expiresAt) {
        return jdbi.withHandle(h -> {
            increment(h, handle -> handle.createUpdate("""
                                    UPDATE account_login_failures SET failures = failures + 1,
                                        last_failure_at = :now, expires_at = :expires_at
                                    WHERE subject_hash = :subject""")
                            .bind("subject", subject).bind("now", Times.millis(now))
                            .bind("expires_at", Times.millis(expiresAt)).execute(),
                    handle -> handle.createUpdate("""
                                    INSERT INTO account_login_failures (subject_hash, failures, last_failure_at,
                                        expires_at)
                                    VALUES (:subject, 1, :now, :expires_at)""")
                            .bind("subject", subject).bind("now", Times.millis(now))
                            .bind("expires_at", Times.millis(expiresAt)).execute());
            return readAccount(h, subject).orElse(new AccountState(1, now));
        });
    }

    @Override
    public void clearAccount(String subject) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM account_login_failures WHERE subject_hash = :subject")
                .bind("subject", subject).execute());
    }

    @Override
    public int clearSubject(String subject) {
        return jdbi.withHandle(h -> {
            int accounts = h.createUpdate("DELETE FROM account_login_failures WHERE subject_hash = :subject")
                    .bind("subject", subject).execute();
            return accounts + h.createUpdate("DELETE FROM login_failures WHERE subject_hash = :subject")
                    .bind("subject", subject).execute();
        });
    }

    @Override
    public List<String> blockedIps(String subject) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT ip FROM login_failures WHERE subject_hash = :subject AND blocked_at IS NOT NULL
                        ORDER BY blocked_at, ip""")
                .bind("subject", subject).mapTo(String.class).list());
    }

    @Override
    public int ipFailures(String ip, Instant windowStart) {
        return jdbi.withHandle(h -> readIpFailures(h, ip, windowStart).orElse(0));
    }

    @Override
    public int recordIpFailure(String ip, Instant windowStart, Instant expiresAt) {
        return jdbi.withHandle(h -> {
            increment(h, handle -> handle.createUpdate("""
                                    UPDATE ip_login_failures SET failures = failures + 1
                                    WHERE ip = :ip AND window_start = :window_start""")
                            .bind("ip", ip).bind("window_start", Times.millis(windowStart)).execute(),
                    handle -> handle.createUpdate("""
                                    INSERT INTO ip_login_failures (ip, window_start, failures, expires_at)
                                    VALUES (:ip, :window_start, 1, :expires_at)""")
                            .bind("ip", ip).bind("window_start", Times.millis(windowStart))
                            .bind("expires_at", Times.millis(expiresAt)).execute());
            return readIpFailures(h, ip, windowStart).orElse(1);
        });
    }

    @Override
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> Math.max(Math.max(
                ExpiredRows.delete(h, "login_failures", List.of("subject_hash", "ip"), now, batch),
                ExpiredRows.delete(h, "ip_login_failures", List.of("ip", "window_start"), now, batch)),
                ExpiredRows.delete(h, "account_login_failures", List.of("subject_hash"), now, batch)));
    }

    /** Runs {@code update}; when it found no row, {@code insert}, and {@code update} again if another node inserted first. */
    private static void increment(Handle h, ToIntFunction<Handle> update, Consumer<Handle> insert) {
        if (update.applyAsInt(h) == 0) {
            try {
                insert.accept(h);
            } catch (StatementException e) {
                if (!UniqueViolations.is(e)) {
                    throw e;
                }
                update.applyAsInt(h);
            }
        }
    }

    private static int incrementPair(Handle h, String subject, String ip, int threshold, Instant now,
                                     Instant expiresAt) {
        // Every right-hand side sees the row as it was before this UPDATE (SQL standard).
        return h.createUpdate("""
                        UPDATE login_failures SET failures = failures + 1,
                            blocked_at = CASE WHEN blocked_at IS NULL AND failures + 1 >= :threshold
                                              THEN :now ELSE blocked_at END,
                            updated_at = :now, expires_at = :expires_at
                        WHERE subject_hash = :subject AND ip = :ip""")
                .bind("subject", subject).bind("ip", ip).bind("threshold", threshold)
                .bind("now", Times.millis(now)).bind("expires_at", Times.millis(expiresAt)).execute();
    }

    private static Optional<PairState> readPair(Handle h, String subject, String ip) {
        return h.createQuery("""
                        SELECT failures, blocked_at FROM login_failures WHERE subject_hash = :subject AND ip = :ip""")
                .bind("subject", subject).bind("ip", ip)
                .map((rs, ctx) -> new PairState(rs.getInt("failures"),
                        Times.nullableInstant(rs.getObject("blocked_at", Long.class))))
                .findOne();
    }

    private static Optional<Integer> readIpFailures(Handle h, String ip, Instant windowStart) {
        return h.createQuery(
                        "SELECT failures FROM ip_login_failures WHERE ip = :ip AND window_start = :window_start")
                .bind("ip", ip).bind("window_start", Times.millis(windowStart)).mapTo(Integer.class).findOne();
    }

    private static Optional<AccountState> readAccount(Handle h, String subject) {
        return h.createQuery("""
                        SELECT failures, last_failure_at FROM account_login_failures WHERE subject_hash = :subject""")
                .bind("subject", subject)
                .map((rs, ctx) -> new AccountState(rs.getInt("failures"), Times.instant(rs.getLong("last_failure_at"))))
                .findOne();
    }
}
