package dev.latchkey.server.store;

import java.time.Instant;

/** A table whose rows carry {@code expires_at}: deletes up to {@code batch} expired rows, answers how many. */
@FunctionalInterface
public interface ExpiringRows {
    int deleteExpired(Instant now, int batch);
}
