package dev.latchkey.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Deletes one bounded batch of expired rows: reads up to {@code batch} primary keys of rows past
 * {@code expires_at}, then deletes those rows by key (if still expired: a counter may have been
 * extended meanwhile), and answers how many it found. Two plain statements that both databases run by index, where a
 * {@code DELETE ... IN (SELECT ... LIMIT)} is slow on H2.
 */
final class ExpiredRows {

    private ExpiredRows() {
    }

    static int delete(Handle h, String table, List<String> keyColumns, Instant now, int batch) {
        String keys = String.join(", ", keyColumns);
        List<Map<String, Object>> expired = h.createQuery("SELECT " + keys + " FROM " + table
                        + " WHERE expires_at < :now ORDER BY expires_at LIMIT :batch")
                .bind("now", Times.millis(now)).bind("batch", batch).mapToMap().list();
        if (expired.isEmpty()) {
            return 0;
        }
        StringBuilder where = new StringBuilder(" WHERE expires_at < :now");
        keyColumns.forEach(column -> where.append(" AND ").append(column).append(" = :").append(column));
        PreparedBatch delete = h.prepareBatch("DELETE FROM " + table + where);
        for (Map<String, Object> row : expired) {
            delete.bind("now", Times.millis(now));
            keyColumns.forEach(column -> delete.bind(column, row.get(column)));
            delete.add();
        }
        delete.execute();
        return expired.size();
    }
}
