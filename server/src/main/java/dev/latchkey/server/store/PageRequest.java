package dev.latchkey.server.store;

/**
 * Offset paging as the Management API does it: {@code page} is 0-based. {@code counted} says whether the answer
 * needs the total (Auth0's {@code include_totals}); a store whose count is costly (users, logs: millions of rows)
 * skips it otherwise and answers {@link Page#UNCOUNTED}.
 */
public record PageRequest(int page, int perPage, boolean counted) {

    public PageRequest(int page, int perPage) {
        this(page, perPage, true);
    }

    public long offset() {
        return (long) page * perPage;
    }
}
