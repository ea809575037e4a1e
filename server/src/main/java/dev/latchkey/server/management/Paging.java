package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.util.function.Function;

/**
 * Auth0's offset paging: {@code page} (0-based), {@code per_page} (default 50, at most 100),
 * {@code include_totals}. With totals the answer is {@code {start, limit, length, total, <name>}},
 * otherwise a bare array. The SDKs page until an empty page, so pages are exact.
 */
final class Paging {

    static final int DEFAULT_PER_PAGE = 50;
    static final int MAX_PER_PAGE = 100;

    private Paging() {
    }

    static PageRequest request(Context ctx) {
        int page = intParam(ctx, "page", 0, 0, Integer.MAX_VALUE / MAX_PER_PAGE);
        int perPage = intParam(ctx, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        return new PageRequest(page, perPage, includeTotals(ctx));
    }

    static <T> void write(Context ctx, String collection, PageRequest request, Page<T> page,
                          Function<T, ObjectNode> view) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(item -> items.add(view.apply(item)));
        if (request.counted()) {
            ObjectNode body = Json.object()
                    .put("start", request.offset())
                    .put("limit", request.perPage())
                    .put("length", page.items().size())
                    .put("total", page.total());
            body.set(collection, items);
            Json.write(ctx, 200, body);
        } else {
            Json.write(ctx, 200, items);
        }
    }

    private static boolean includeTotals(Context ctx) {
        String value = ctx.queryParam("include_totals");
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ManagementException.invalidQuery(
                "Query validation error: 'Expected type boolean but found type string' on property include_totals.");
    }

    /** An integer query parameter within [min, max], in Auth0's query validation words; fallback when absent. */
    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ManagementException.invalidQuery("Query validation error: 'Expected type integer but found type "
                    + "string' on property " + name + ".");
        }
        if (number < min || number > max) {
            throw ManagementException.invalidQuery("Query validation error: 'Value " + number
                    + " is out of range; expected " + min + " to " + max + "' on property " + name + ".");
        }
        return number;
    }
}
