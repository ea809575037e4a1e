package dev.latchkey.server.store;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Deletes expired rows (SSO sessions, login transactions, authorization codes, opaque tokens) in
 * small batches by their indexed {@code expires_at}, so tables stay bounded without long locks.
 */
public final class ExpiredRowSweeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredRowSweeper.class);
    static final int BATCH = 500;
    /** Bounds one run, so a huge backlog is worked off over several runs. */
    static final int MAX_BATCHES_PER_TABLE = 40;

    private record Table(String name, String key) {
    }

    private static final List<Table> TABLES = List.of(
            new Table("sso_sessions", "id_hash"),
            new Table("login_transactions", "id_hash"),
            new Table("authorization_codes", "code_hash"),
            new Table("opaque_tokens", "token_hash"));

    private final Jdbi jdbi;
    private final Clock clock;

    public ExpiredRowSweeper(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Could not delete expired rows; will try again: {}", e.getMessage());
        }
    }

    /** Deletes what has expired; returns the number of rows deleted. */
    public int sweep() {
        long now = clock.millis();
        int total = 0;
        for (Table table : TABLES) {
            for (int i = 0; i < MAX_BATCHES_PER_TABLE; i++) {
                int deleted = jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + table.name() + " WHERE "
                                + table.key() + " IN (SELECT " + table.key() + " FROM " + table.name()
                                + " WHERE expires_at < :now LIMIT " + BATCH + ")")
                        .bind("now", now).execute());
                total += deleted;
                if (deleted < BATCH) {
                    break;
                }
            }
        }
        return total;
    }
}
