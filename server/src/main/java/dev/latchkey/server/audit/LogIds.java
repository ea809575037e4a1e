package dev.latchkey.server.audit;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log ids that sort by time: 19 digits of (epoch milliseconds × 2^20 + a sequence within the
 * millisecond), then 8 random hex characters so that nodes never collide. Within a node, ids strictly
 * increase in the order events are recorded; Auth0's checkpoint paging ({@code from}, {@code take})
 * and the order of equal dates rely on it.
 */
final class LogIds {

    private static final int SEQUENCE_BITS = 20;
    private static final AtomicLong LAST = new AtomicLong();

    private LogIds() {
    }

    static String next(Instant date) {
        long floor = date.toEpochMilli() << SEQUENCE_BITS;
        long value = LAST.updateAndGet(last -> Math.max(last + 1, floor));
        // Ids need to be unique and ordered, not unguessable: a cheap random suffix will do.
        String digits = Long.toString(value);
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x80000000);
        return "0".repeat(Math.max(0, 19 - digits.length())) + digits + suffix;
    }
}
