package dev.latchkey.server.audit;

import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.JdbcLogStore;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.latchkey.server.testing.ManagementCalls.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The tenant log's writer: events reach the database in batches, and none is lost on close. */
class QueuedAuditLogTest {

    Database database;
    CountingStore store;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        store = new CountingStore(new JdbcLogStore(database.jdbi()));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void eventsRecordedTogetherAreWrittenInFewInserts() {
        QueuedAuditLog log = new QueuedAuditLog(store, Clock.systemUTC());
        for (int i = 0; i < 50; i++) {
            log.record(event(i));
        }
        assertThat(eventually(store::written, written -> written == 50)).isEqualTo(50);
        assertThat(store.batches).hasSizeLessThan(5);
        log.close();
    }

    @Test
    void aLoneEventIsWrittenToo() {
        QueuedAuditLog log = new QueuedAuditLog(store, Clock.systemUTC());
        log.record(event(1));
        assertThat(eventually(store::written, written -> written == 1)).isEqualTo(1);
        log.close();
    }

    @Test
    void closeWritesWhatIsQueued() {
        QueuedAuditLog log = new QueuedAuditLog(store, Clock.systemUTC());
        for (int i = 0; i < 1_200; i++) {
            log.record(event(i));
        }
        log.close();
        assertThat(store.written()).isEqualTo(1_200);
        assertThat(store.list(LogFilter.ALL, false, new PageRequest(0, 5)).total()).isEqualTo(1_200L);
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
