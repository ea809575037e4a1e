package dev.latchkey.server.audit;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface LogStore {

    void insert(List<LogEntry> entries);

    Optional<LogEntry> findById(String logId);

    /** Newest first, or oldest first when {@code ascending}. */
    Page<LogEntry> list(LogFilter filter, boolean ascending, PageRequest page);

    /** Entries after {@code fromLogId} (exclusive, all when null) in id order: Auth0's checkpoint paging. */
    List<LogEntry> after(String fromLogId, LogFilter filter, int take);

    /** Deletes up to {@code batch} entries past their {@code expires_at}; answers how many. */
    int deleteExpired(Instant now, int batch);
}
