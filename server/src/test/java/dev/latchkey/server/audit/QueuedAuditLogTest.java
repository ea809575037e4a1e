package dev.latchkey.server.audit;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcLogStore;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The tenant log's writer, on a real database: events arriving together share an insert; none is lost on close. */
class QueuedAuditLogTest {

    Database database;
    CountingStore store;
    QueuedAuditLog log;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        store = new CountingStore(new JdbcLogStore(database.jdbi()));
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
        database.close();
    }

    @Test
    void eventsArrivingWithinTheLingerAreWrittenInOneInsert() throws InterruptedException {
        // A linger far longer than the gap between the events, so that the test does not race the writer.
        log = new QueuedAuditLog(store, Clock.systemUTC(), Duration.ofSeconds(2));
        log.record(event(1));
        Thread.sleep(50); // the writer has taken the first event and waits for more
        log.record(event(2));
        log.record(event(3));
        assertThat(eventually(store::written, written -> written == 3)).isEqualTo(3);
        assertThat(store.batches).containsExactly(3);
    }

    @Test
    void aLoneEventIsWrittenWithinTheLinger() {
        log = new QueuedAuditLog(store, Clock.systemUTC());
        log.record(event(1));
        assertThat(eventually(store::written, written -> written == 1)).isEqualTo(1);
    }

    @Test
    void closeWritesWhatIsQueued() {
        log = new QueuedAuditLog(store, Clock.systemUTC());
        for (int i = 0; i < 1_200; i++) {
            log.record(event(i));
        }
        log.close();
        assertThat(store.written()).isEqualTo(1_200);
        assertThat(store.list(LogFilter.ALL, false, new PageRequest(0, 5)).total()).isEqualTo(1_200L);
        // Without include_totals nothing is counted (a full count of millions of log rows per page).
        var uncounted = store.list(LogFilter.ALL, false, new PageRequest(0, 5, false));
        assertThat(uncounted.items()).hasSize(5);
        assertThat(uncounted.total()).isEqualTo(Page.UNCOUNTED);
    }

    static LogEvent event(int i) {
        return new LogEvent("s", "Successful login", "client-" + i, "App", "auth0|" + i, "user" + i + "@example.com",
                "127.0.0.1", "Username-Password-Authentication", Map.of());
    }

    /** The real store, counting what reaches it and in how many inserts. */
    static final class CountingStore implements LogStore {
        final LogStore store;
        final List<Integer> batches = new CopyOnWriteArrayList<>();

        CountingStore(LogStore store) {
            this.store = store;
        }

        int written() {
            return batches.stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public void insert(List<LogEntry> entries) {
            store.insert(entries);
            batches.add(entries.size());
        }

        @Override
        public Optional<LogEntry> findById(String logId) {
            return store.findById(logId);
        }

        @Override
        public Page<LogEntry> list(LogFilter filter, boolean ascending, PageRequest page) {
            return store.list(filter, ascending, page);
        }

        @Override
        public List<LogEntry> after(String fromLogId, LogFilter filter, int take) {
            return store.after(fromLogId, filter, take);
        }

        @Override
        public int deleteExpired(Instant now, int batch) {
            return store.deleteExpired(now, batch);
        }
    }
}
