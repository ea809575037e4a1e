package dev.latchkey.server.store;

import java.time.Instant;

/** Times are stored as epoch milliseconds. */
final class Times {
    private Times() {
    }

    static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    static Instant nullableInstant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
