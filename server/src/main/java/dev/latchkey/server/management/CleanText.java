package dev.latchkey.server.management;

import dev.latchkey.server.http.ControlCharacters;

/**
 * Refuses text no name or id may hold: control characters (NUL among them, which PostgreSQL cannot
 * store at all), so that such input is a 400 and never reaches the database.
 */
final class CleanText {

    private CleanText() {
    }

    /** True when {@code value} has no control character; line breaks and tabs only where {@code multiLine}. */
    private static boolean clean(String value, boolean multiLine) {
        return !ControlCharacters.in(value, multiLine);
    }

    /** {@code value}, when clean; else Auth0's payload validation error naming {@code field}. */
    static String require(String value, String field, boolean multiLine) {
        if (value != null && !clean(value, multiLine)) {
            throw JsonBody.invalid("String must not contain control characters", field);
        }
        return value;
    }

    /** An id from the path or a body that could name a stored row: not empty, short, clean. */
    static boolean lookable(String id, int maxLength) {
        return id != null && !id.isEmpty() && id.length() <= maxLength && clean(id, false);
    }
}
