package dev.latchkey.server.management;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Shared formatting of Management API JSON values. */
final class Views {
    private Views() {
    }

    /** Auth0 writes times as ISO 8601 with milliseconds, e.g. {@code 2026-11-22T10:00:00.000Z}. */
    static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }
}
