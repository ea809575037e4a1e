package dev.latchkey.server.audit;

import java.time.Instant;

/** A stored log event: the event, its id and date, and when it is deleted. */
public record LogEntry(String logId, Instant date, LogEvent event, Instant expiresAt) {
}
