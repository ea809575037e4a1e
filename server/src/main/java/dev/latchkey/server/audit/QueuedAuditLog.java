package dev.latchkey.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tenant log, written off the request thread: {@link #record} stamps the event and puts it in a
 * bounded queue; one writer thread inserts what has queued up in batches. A full queue (the database
 * far behind) drops events and says so in the server log rather than slowing requests down.
 */
public final class QueuedAuditLog implements AuditLog, AutoCloseable {

    /** Auth0 keeps tenant logs for a plan-dependent time; we keep them 30 days. */
    public static final Duration RETENTION = Duration.ofDays(30);
    private static final Logger LOG = LoggerFactory.getLogger(QueuedAuditLog.class);
    private static final int CAPACITY = 10_000;
    private static final int BATCH = 500;

    private final LogStore store;
    private final Clock clock;
    private final BlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;

    public QueuedAuditLog(LogStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.writer = new Thread(this::drain, "latchkey-audit-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void record(LogEvent event) {
        Instant now = clock.instant();
        if (!queue.offer(new LogEntry(LogIds.next(now), now, event, now.plus(RETENTION)))) {
            if (dropped.getAndIncrement() % 1_000 == 0) {
                LOG.warn("The audit log is behind; dropped {} events so far", dropped.get());
            }
        }
    }

    /** Stops taking events and writes what is queued (waiting a few seconds at most). */
    @Override
    public void close() {
        // No interrupt: an interrupted JDBC call can close an H2 file channel under the database.
        running = false;
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        List<LogEntry> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            LogEntry first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - batch.size());
            write(batch);
            batch.clear();
        }
    }

    private void write(List<LogEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.insert(batch);
        } catch (RuntimeException e) {
            LOG.warn("Could not write {} audit log events: {}", batch.size(), e.getMessage());
        }
    }
}
