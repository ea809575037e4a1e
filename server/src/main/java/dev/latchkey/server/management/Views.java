package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Shared formatting of Management API JSON values. */
final class Views {

    /** Always three fraction digits: ISO_INSTANT would drop them on a whole second. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** Auth0 writes times as ISO 8601 with milliseconds, e.g. {@code 2026-11-22T10:00:00.000Z}. */
    static String time(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** Auth0 leaves absent values out of its objects rather than writing null. */
    static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
