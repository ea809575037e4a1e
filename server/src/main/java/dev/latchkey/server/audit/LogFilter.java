package dev.latchkey.server.audit;

/** Which log entries to list; null fields do not filter. */
public record LogFilter(String type, String userId, String clientId, String connection) {

    public static final LogFilter ALL = new LogFilter(null, null, null, null);
}
