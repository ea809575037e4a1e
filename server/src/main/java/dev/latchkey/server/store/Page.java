package dev.latchkey.server.store;

import java.util.List;

/** One page of a list and the total it was cut from ({@link #UNCOUNTED} when the request did not ask for it). */
public record Page<T>(List<T> items, long total) {

    public static final long UNCOUNTED = -1;

    public Page {
        items = List.copyOf(items);
    }
}
