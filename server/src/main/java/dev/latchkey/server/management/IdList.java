package dev.latchkey.server.management;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An assignment body's list of ids ({@code {"roles":[...]}}, {@code {"users":[...]}}): required, 1 to
 * {@link #MAX_ITEMS} clean strings, duplicates dropped.
 */
final class IdList {

    /** Auth0 caps each assignment call; so do we, so that one call cannot write without bound. */
    static final int MAX_ITEMS = 1000;
    static final int MAX_ID_LENGTH = 64;

    private IdList() {
    }

    static Set<String> read(JsonBody body, String field) {
        body.allowOnly(Set.of(field));
        List<String> ids = body.strings(field, MAX_ID_LENGTH)
                .orElseThrow(() -> JsonBody.invalid("Missing required property: " + field, null));
        if (ids.isEmpty()) {
            throw JsonBody.invalid("Array is too short (0), minimum 1", field);
        }
        if (ids.size() > MAX_ITEMS) {
            throw JsonBody.invalid("Array is too long (" + ids.size() + "), maximum " + MAX_ITEMS, field);
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).isEmpty()) {
                throw JsonBody.invalid("String is too short (0 chars), minimum 1", field + "[" + i + "]");
            }
        }
        return new LinkedHashSet<>(ids);
    }
}
