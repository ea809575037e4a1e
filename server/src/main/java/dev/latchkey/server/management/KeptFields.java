package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The kept properties of one kind of object ({@link KeptFieldsStore}): written on create, merged property by
 * property on update (Auth0's PATCH replaces the top-level properties it names; a null is kept as null), and
 * added to every answer beside the properties Latchkey models.
 */
final class KeptFields {

    private final KeptFieldsStore store;
    private final String kind;

    KeptFields(KeptFieldsStore store, String kind) {
        this.store = store;
        this.kind = kind;
    }

    Map<String, Object> of(String id) {
        return store.read(kind, id);
    }

    /** The kept properties of every item of a page, read at once, by the item's id. */
    <T> Map<String, Map<String, Object>> ofAll(List<T> items, Function<T, String> id) {
        return store.readAll(kind, items.stream().map(id).toList());
    }

    Map<String, Object> created(String id, Map<String, Object> fields) {
        store.write(kind, id, fields);
        return fields;
    }

    /** Merges {@code changes} over what is kept, and answers the result. */
    Map<String, Object> changed(String id, Map<String, Object> changes) {
        Map<String, Object> merged = new LinkedHashMap<>(store.read(kind, id));
        if (changes.isEmpty()) {
            return merged;
        }
        merged.putAll(changes);
        store.write(kind, id, merged);
        return merged;
    }

    void deleted(String id) {
        store.delete(kind, id);
    }

    /** {@code view} with the kept properties added (never over one it already has). */
    static ObjectNode with(ObjectNode view, Map<String, Object> fields) {
        return with(view, fields, Json.object());
    }

    /** The same for a view answered in two parts, {@code before} and then {@code view}: never over one either has. */
    static ObjectNode with(ObjectNode view, Map<String, Object> fields, ObjectNode before) {
        if (fields != null) {
            fields.forEach((name, value) -> {
                if (!view.has(name) && !before.has(name)) {
                    // Serialised with the answer, not turned into a tree first (a copy per field per call).
                    view.putPOJO(name, value);
                }
            });
        }
        return view;
    }
}
