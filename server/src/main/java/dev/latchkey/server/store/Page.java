package dev.latchkey.server.store;

import java.util.List;

/** One page of a list and the total it was cut from. */
public record Page<T>(List<T> items, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
