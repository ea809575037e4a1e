package dev.latchkey.server.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * Deletes expired rows in bounded batches, table after table, so no statement holds locks for long
 * and a backlog drains over a few runs instead of one huge DELETE. Run from the background scheduler;
 * safe on several nodes at once (each batch deletes only rows still there).
 */
public final class ExpiredRowSweeper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiredRowSweeper.class);
    static final int BATCH = 1_000;
    /** Time per table per run: a large backlog drains over several runs, never blocking the scheduler long. */
    static final long BUDGET_NANOS = 5_000_000_000L;

    private final List<ExpiringRows> tables;
    private final Clock clock;

    public ExpiredRowSweeper(List<ExpiringRows> tables, Clock clock) {
        this.tables = List.copyOf(tables);
        this.clock = clock;
    }

    @Override
    public void run() {
        for (ExpiringRows table : tables) {
            long start = System.nanoTime();
            try {
                int deleted;
                do {
                    deleted = table.deleteExpired(clock.instant(), BATCH);
                } while (deleted >= BATCH && System.nanoTime() - start < BUDGET_NANOS);
            } catch (RuntimeException e) {
                LOG.warn("Could not delete expired rows: {}", e.getMessage());
            }
        }
    }
}
