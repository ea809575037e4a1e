package dev.latchkey.server.audit;

import dev.latchkey.server.keys.RandomStrings;

import java.time.Instant;

/**
 * Log ids that sort by time: 16 digits of epoch milliseconds, then 16 random hex characters. Auth0's
 * checkpoint paging ({@code from}, {@code take}) relies on ids increasing with time.
 */
final class LogIds {

    private LogIds() {
    }

    static String next(Instant date) {
        return String.format("%016d", date.toEpochMilli()) + RandomStrings.hex(16);
    }
}
