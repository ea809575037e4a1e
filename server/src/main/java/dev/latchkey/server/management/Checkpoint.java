package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import io.javalin.http.Context;

import java.util.List;
import java.util.function.Function;

/**
 * Auth0's checkpoint paging: {@code take} items (1 to 100, default 50) after the checkpoint {@code from}
 * (from the start when absent). The answer is {@code {"<collection>":[...], "next":"..."}}, {@code next}
 * present while a full page came back; it is the id of the page's last item, so a row added or removed
 * between two calls neither repeats nor skips another.
 */
record Checkpoint(String from, int take) {

    static final int DEFAULT_TAKE = 50;
    static final int MAX_TAKE = 100;
    private static final int MAX_FROM_LENGTH = 200;

    /** Whether the call asks for checkpoint paging rather than offset paging. */
    static boolean asked(Context ctx) {
        return ctx.queryParam("from") != null || ctx.queryParam("take") != null;
    }

    static Checkpoint of(Context ctx) {
        String from = ctx.queryParam("from");
        if (from != null && from.length() > MAX_FROM_LENGTH) {
            throw ManagementException.invalidQuery("Query validation error: 'String is too long' on property from.");
        }
        return new Checkpoint(from == null || from.isEmpty() ? null : from, take(ctx.queryParam("take")));
    }

    private static int take(String take) {
        if (take == null || take.isEmpty()) {
            return DEFAULT_TAKE;
        }
        try {
            int value = Integer.parseInt(take);
            if (value >= 1 && value <= MAX_TAKE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ManagementException.invalidQuery("Query validation error: 'take must be an integer from 1 to "
                + MAX_TAKE + "' on property take.");
    }

    <T> void write(Context ctx, String collection, List<T> items, Function<T, String> id,
                   Function<T, ObjectNode> view) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray(collection);
        items.forEach(item -> array.add(view.apply(item)));
        if (items.size() == take) {
            body.put("next", id.apply(items.get(items.size() - 1)));
        }
        Json.write(ctx, 200, body);
    }
}
