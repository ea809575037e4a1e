package dev.latchkey.server.store;

import dev.latchkey.server.audit.UsageStats;
import org.jdbi.v3.core.Jdbi;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/** Counts read from the users table and the log, by index (users' creation time, log type and date). */
public final class JdbcUsageStats implements UsageStats {

    private static final long DAY_MILLIS = 86_400_000L;

    private final Jdbi jdbi;

    public JdbcUsageStats(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long activeUsers(Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users WHERE last_login >= :since")
                .bind("since", Times.millis(since)).mapTo(Long.class).one());
    }

    @Override
    public Map<LocalDate, Long> loginsPerDay(Instant from, Instant to) {
        return perDay("SELECT date / " + DAY_MILLIS + " AS day_number, COUNT(*) AS n FROM logs"
                + " WHERE type = 's' AND date >= :from AND date < :to GROUP BY date / " + DAY_MILLIS, from, to);
    }

    @Override
    public Map<LocalDate, Long> signupsPerDay(Instant from, Instant to) {
        return perDay("SELECT created_at / " + DAY_MILLIS + " AS day_number, COUNT(*) AS n FROM users"
                + " WHERE created_at >= :from AND created_at < :to GROUP BY created_at / " + DAY_MILLIS, from, to);
    }

    private Map<LocalDate, Long> perDay(String sql, Instant from, Instant to) {
        return jdbi.withHandle(h -> {
            Map<LocalDate, Long> days = new TreeMap<>();
            h.createQuery(sql).bind("from", Times.millis(from)).bind("to", Times.millis(to))
                    .map((rs, ctx) -> Map.entry(LocalDate.ofEpochDay(rs.getLong("day_number")), rs.getLong("n")))
                    .forEach(day -> days.put(day.getKey(), day.getValue()));
            return days;
        });
    }
}
