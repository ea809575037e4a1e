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
 * bounded queue; one writer thread inserts what has queued up in batches, waiting {@link #LINGER} after
 * the first event of a batch for others to join it. A full queue (the database far behind) drops events
 * and says so in the server log rather than slowing requests down.
 */
public final class QueuedAuditLog implements AuditLog, AutoCloseable {

    /** Auth0 keeps tenant logs for a plan-dependent time; we keep them 30 days. */
    public static final Duration RETENTION = Duration.ofDays(30);
    private static final Logger LOG = LoggerFactory.getLogger(QueuedAuditLog.class);
    private static final int CAPACITY = 10_000;
    private static final int BATCH = 500;
    /** How long the writer waits after an event for more to write with it. */
    static final Duration LINGER = Duration.ofMillis(100);
    /** How long the idle writer waits for an event before it looks whether it should stop. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final LogStore store;
    private final Clock clock;
    private final BlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final Duration linger;
    private volatile boolean running = true;

    public QueuedAuditLog(LogStore store, Clock clock) {
        this(store, clock, LINGER);
    }

    /** With another wait for events to join a batch (tests). */
    QueuedAuditLog(LogStore store, Clock clock, Duration linger) {
        this.store = store;
        this.clock = clock;
        this.linger = linger;
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
        while ((running || !queue.isEmpty()) && !Thread.currentThread().isInterrupted()) {
            LogEntry first = poll(IDLE_POLL.toNanos());
            if (first == null) {
                continue;
            }
            batch.add(first);
            gather(batch);
            if (Thread.currentThread().isInterrupted()) {
                return; // an interrupted JDBC call can close an H2 file channel under the database
            }
            write(batch);
            batch.clear();
        }
    }

    /**
     * Adds what queues up within the linger ({@link #LINGER}) of the first event, up to {@link #BATCH}: one
     * insert of a few rows costs the database little more than one of a single row, so under load events are
     * written in batches rather than one by one; a lone event still reaches the log within the linger.
     */
    private void gather(List<LogEntry> batch) {
        long deadline = System.nanoTime() + linger.toNanos();
        queue.drainTo(batch, BATCH - batch.size());
        while (running && batch.size() < BATCH) {
            LogEntry next = poll(deadline - System.nanoTime());
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, BATCH - batch.size());
        }
    }

    /** The next event within {@code nanos}, or null: none came, or the writer was interrupted (flag kept). */
    private LogEntry poll(long nanos) {
        if (nanos <= 0) {
            return null;
        }
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
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
