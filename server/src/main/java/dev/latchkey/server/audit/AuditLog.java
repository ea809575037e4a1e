package dev.latchkey.server.audit;

public interface AuditLog {
    void record(LogEvent event);
}
