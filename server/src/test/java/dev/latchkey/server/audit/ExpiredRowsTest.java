package dev.latchkey.server.audit;

import dev.latchkey.server.identity.BruteForceProtection;
import dev.latchkey.server.identity.LoginFailureStore;
import dev.latchkey.server.store.Database;
import dev.latchkey.server.store.ExpiredRowSweeper;
import dev.latchkey.server.store.JdbcLogStore;
import dev.latchkey.server.store.JdbcLoginFailureStore;
import dev.latchkey.server.store.PageRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiredRowsTest {

    private Database database;
    private JdbcLogStore logs;
    private JdbcLoginFailureStore failures;

    @BeforeEach
    void open() {
        database = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        logs = new JdbcLogStore(database.jdbi());
        failures = new JdbcLoginFailureStore(database.jdbi());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void sweepsExpiredLogEntriesAndCountersInBatchesAndKeepsTheRest() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            Instant date = now.minus(QueuedAuditLog.RETENTION).minusSeconds(i + 1);
            entries.add(new LogEntry(LogIds.next(date), date, new LogEvent("s", null, null, null, null, null, null,
                    null, Map.of()), date.plus(QueuedAuditLog.RETENTION)));
        }
        entries.add(new LogEntry(LogIds.next(now), now, new LogEvent("s", "fresh", null, null, null, null, null, null,
                Map.of()), now.plus(QueuedAuditLog.RETENTION)));
        logs.insert(entries);
        Instant old = now.minus(BruteForceProtection.PAIR_BLOCK).minusSeconds(5);
        failures.recordPairFailure("old-subject", "10.0.0.1", 10, old, old.plus(BruteForceProtection.PAIR_BLOCK));
        failures.recordPairFailure("new-subject", "10.0.0.1", 10, now, now.plus(BruteForceProtection.PAIR_BLOCK));
        failures.recordIpFailure("10.0.0.1", old, old.plusSeconds(3600));
        failures.recordAccountFailure("old-subject", old, old.plus(BruteForceProtection.ACCOUNT_MEMORY));
        failures.recordAccountFailure("new-subject", now, now.plus(BruteForceProtection.ACCOUNT_MEMORY));
        failures.recordAccountFailure("new-subject", now, now.plus(BruteForceProtection.ACCOUNT_MEMORY));

        new ExpiredRowSweeper(List.of(logs::deleteExpired, failures::deleteExpired),
                Clock.fixed(now, ZoneOffset.UTC)).run();

        var left = logs.list(LogFilter.ALL, false, new PageRequest(0, 100));
        assertThat(left.total()).isEqualTo(1);
        assertThat(left.items().get(0).event().description()).isEqualTo("fresh");
        assertThat(failures.pair("old-subject", "10.0.0.1")).isEmpty();
        assertThat(failures.pair("new-subject", "10.0.0.1")).map(LoginFailureStore.PairState::failures).contains(1);
        assertThat(failures.ipFailures("10.0.0.1", old)).isZero();
        assertThat(failures.account("old-subject")).isEmpty();
        assertThat(failures.account("new-subject")).map(LoginFailureStore.AccountState::failures).contains(2);
    }

    @Test
    void theQueuedLogWritesEverythingRecordedBeforeItCloses() {
        QueuedAuditLog log = new QueuedAuditLog(logs, Clock.systemUTC());
        for (int i = 0; i < 700; i++) {
            log.record(new LogEvent("seccft", "token " + i, "client", null, null, null, "127.0.0.1", null, null));
        }
        log.close();
        assertThat(logs.list(new LogFilter("seccft", null, null, null), false, new PageRequest(0, 1)).total())
                .isEqualTo(700);
    }
}
