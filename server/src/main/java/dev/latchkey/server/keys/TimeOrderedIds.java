package dev.latchkey.server.keys;

/**
 * Public ids that begin with the time they were made, then a random part. A database index takes each new one at
 * its end, on a page already in memory, where a wholly random id lands on any page of the index, to be read and
 * written again for a single entry. The random part keeps them unguessable and unique across nodes. Not for
 * secrets: anyone who sees such an id can read when it was made, which every place they appear already says
 * (a token's {@code iat}, a record's {@code created_at}).
 */
public final class TimeOrderedIds {

    /** Nine base-36 digits hold epoch milliseconds until the year 5188, at a fixed width: ids sort by time. */
    static final int TIME_DIGITS = 9;

    private TimeOrderedIds() {
    }

    /** {@code prefix}, the current time, then {@code random}. */
    public static String next(String prefix, String random) {
        return prefix + time(System.currentTimeMillis()) + random;
    }

    /** {@code epochMillis} as {@link #TIME_DIGITS} lowercase base-36 digits, which sort alike in every collation. */
    static String time(long epochMillis) {
        String digits = Long.toString(epochMillis, 36);
        return "0".repeat(Math.max(0, TIME_DIGITS - digits.length())) + digits;
    }
}
