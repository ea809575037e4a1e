package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.audit.LogEntry;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.audit.LogFilter;
import dev.latchkey.server.audit.LogStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcLogStore implements LogStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final RowMapper<LogEntry> MAPPER = (rs, ctx) -> new LogEntry(
            rs.getString("log_id"),
            Times.instant(rs.getLong("date")),
            new LogEvent(rs.getString("type"), rs.getString("description"), rs.getString("client_id"),
                    rs.getString("client_name"), rs.getString("user_id"), rs.getString("user_name"),
                    rs.getString("ip"), rs.getString("connection"), JsonColumns.read(rs.getString("details"), OBJECT)),
            Times.instant(rs.getLong("expires_at")));

    private final Jdbi jdbi;

    public JdbcLogStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void insert(List<LogEntry> entries) {
        jdbi.useHandle(h -> {
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO logs (log_id, date, type, description, client_id, client_name, user_id, user_name,
                        ip, connection, details, expires_at)
                    VALUES (:log_id, :date, :type, :description, :client_id, :client_name, :user_id, :user_name,
                        :ip, :connection, :details, :expires_at)""");
            for (LogEntry entry : entries) {
                LogEvent event = entry.event();
                batch.bind("log_id", entry.logId())
                        .bind("date", Times.millis(entry.date()))
                        .bind("type", event.type())
                        .bind("description", truncate(event.description(), 1000))
                        .bind("client_id", truncate(event.clientId(), 64))
                        .bind("client_name", truncate(event.clientName(), 200))
                        .bind("user_id", truncate(event.userId(), 64))
                        .bind("user_name", truncate(event.userName(), 320))
                        .bind("ip", truncate(event.ip(), 64))
                        .bind("connection", truncate(event.connection(), 128))
                        .bind("details", JsonColumns.write(event.details()))
                        .bind("expires_at", Times.millis(entry.expiresAt()))
                        .add();
            }
            batch.execute();
        });
    }

    @Override
    public Optional<LogEntry> findById(String logId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM logs WHERE log_id = :log_id")
                .bind("log_id", logId).map(MAPPER).findOne());
    }

    @Override
    public Page<LogEntry> list(LogFilter filter, boolean ascending, PageRequest page) {
        String where = where(filter);
        String direction = ascending ? " ASC" : " DESC";
        return jdbi.withHandle(h -> new Page<>(
                bind(h.createQuery("SELECT * FROM logs" + where + " ORDER BY date" + direction + ", log_id"
                        + direction + " LIMIT :limit OFFSET :offset"), filter)
                        .bind("limit", page.perPage()).bind("offset", page.offset()).map(MAPPER).list(),
                page.counted() ? bind(h.createQuery("SELECT COUNT(*) FROM logs" + where), filter).mapTo(Long.class)
                        .one() : Page.UNCOUNTED));
    }

    @Override
    public List<LogEntry> after(String fromLogId, LogFilter filter, int take) {
        String where = where(filter) + (fromLogId == null ? "" : " AND log_id > :from");
        return jdbi.withHandle(h -> bind(h.createQuery("SELECT * FROM logs" + where
                        + " ORDER BY log_id LIMIT :take"), filter)
                .bind("from", fromLogId).bind("take", take).map(MAPPER).list());
    }

    @Override
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "logs", List.of("log_id"), now, batch));
    }

    /** Filters are added only when given: PostgreSQL cannot type a bare NULL parameter. */
    private static String where(LogFilter filter) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (filter.type() != null) {
            where.append(" AND type = :type");
        }
        if (filter.userId() != null) {
            where.append(" AND user_id = :user_id");
        }
        if (filter.clientId() != null) {
            where.append(" AND client_id = :client_id");
        }
        if (filter.connection() != null) {
            where.append(" AND connection = :connection");
        }
        return where.toString();
    }

    private static <S extends SqlStatement<S>> S bind(S statement, LogFilter filter) {
        return statement.bind("type", filter.type()).bind("user_id", filter.userId())
                .bind("client_id", filter.clientId()).bind("connection", filter.connection());
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
