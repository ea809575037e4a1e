package dev.latchkey.server.audit;

/**
 * The tenant log. Recording never fails the caller and never blocks it on the database: entries
 * are written in the background and become visible at {@code GET /api/v2/logs} shortly after.
 */
public interface AuditLog {

    void record(LogEvent event);

    /** A log that keeps nothing, for code paths and tests that do not care. */
    AuditLog NONE = event -> {
    };
}
