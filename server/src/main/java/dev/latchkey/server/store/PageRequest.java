package dev.latchkey.server.store;

/** Offset paging as the Management API does it: {@code page} is 0-based. */
public record PageRequest(int page, int perPage) {
    public long offset() {
        return (long) page * perPage;
    }
}
