package dev.latchkey.server.jobs;

import java.time.Instant;
import java.util.Map;

/**
 * A bulk job as Auth0 describes it: {@code options} holds what the request asked (upsert, format,
 * fields, limit), {@code summary} the counts once an import has run.
 */
public record UserJob(String id, Type type, Status status, String connectionId, String connection,
                      String externalId, Map<String, Object> options, Summary summary, Instant createdAt,
                      Instant expiresAt) {

    public UserJob {
        options = Map.copyOf(options);
    }

    public UserJob with(Status newStatus, Summary newSummary) {
        return new UserJob(id, type, newStatus, connectionId, connection, externalId, options, newSummary, createdAt,
                expiresAt);
    }

    public enum Type {
        USERS_IMPORT("users_import"), USERS_EXPORT("users_export");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** Auth0's job states. */
    public enum Status {
        PENDING, PROCESSING, COMPLETED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Auth0's import summary: users refused, updated (upsert), inserted, and read from the file. */
    public record Summary(long failed, long updated, long inserted, long total) {
        public static final Summary NONE = new Summary(0, 0, 0, 0);
    }
}
