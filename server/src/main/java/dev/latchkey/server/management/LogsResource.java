package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.audit.LogEntry;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.audit.LogFilter;
import dev.latchkey.server.audit.LogStore;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

/**
 * {@code /api/v2/logs} and {@code /api/v2/users/{id}/logs}: the tenant log, newest first, with
 * Auth0's offset paging ({@code page}, {@code per_page}, {@code include_totals}, {@code sort=date:1|-1})
 * or checkpoint paging ({@code from}, {@code take}), and {@code q} on type, user_id, client_id, connection.
 */
final class LogsResource {

    private final LogStore store;

    LogsResource(LogStore store) {
        this.store = store;
    }

    void list(Context ctx, ManagementCaller caller) {
        write(ctx, filter(ctx.queryParam("q"), null));
    }

    void forUser(Context ctx, ManagementCaller caller) {
        write(ctx, filter(null, ManagementRouter.pathParam(ctx, "id")));
    }

    void get(Context ctx, ManagementCaller caller) {
        LogEntry entry = store.findById(ManagementRouter.pathParam(ctx, "id")).orElseThrow(() ->
                ManagementException.notFound("log not found", "inexistent_log"));
        Json.write(ctx, 200, view(entry));
    }

    private void write(Context ctx, LogFilter filter) {
        if (Checkpoint.asked(ctx)) {
            // Auth0 answers the logs' checkpoint pages as a bare array.
            Checkpoint checkpoint = Checkpoint.of(ctx);
            ArrayNode items = Json.MAPPER.createArrayNode();
            store.after(checkpoint.from(), filter, checkpoint.take()).forEach(entry -> items.add(view(entry)));
            Json.write(ctx, 200, items);
            return;
        }
        PageRequest page = Paging.request(ctx);
        Paging.write(ctx, "logs", page, store.list(filter, ascending(ctx.queryParam("sort")), page),
                LogsResource::view);
    }

    private static boolean ascending(String sort) {
        if (sort == null || sort.isEmpty() || sort.equals("date:-1")) {
            return false;
        }
        if (sort.equals("date:1")) {
            return true;
        }
        throw ManagementException.invalidQuery("Query validation error: 'Logs can be sorted by date:1 or date:-1' "
                + "on property sort.");
    }

    static LogFilter filter(String q, String userId) {
        String type = null;
        String user = userId;
        String client = null;
        String connection = null;
        for (SearchQuery.Term term : SearchQuery.parse(q).terms()) {
            if (term.prefix()) {
                throw SearchQuery.invalid("wildcards are not supported on logs");
            }
            switch (term.field()) {
                case "type" -> type = term.value();
                case "user_id" -> user = term.value();
                case "client_id" -> client = term.value();
                case "connection" -> connection = term.value();
                default -> throw SearchQuery.invalid("the field " + term.field() + " cannot be searched");
            }
        }
        return new LogFilter(type, user, client, connection);
    }

    /** Auth0's Log object; absent values are left out. */
    static ObjectNode view(LogEntry entry) {
        LogEvent event = entry.event();
        ObjectNode node = Json.object()
                .put("log_id", entry.logId())
                .put("date", Views.time(entry.date()))
                .put("type", event.type());
        Views.putIfPresent(node, "description", event.description());
        Views.putIfPresent(node, "client_id", event.clientId());
        Views.putIfPresent(node, "client_name", event.clientName());
        Views.putIfPresent(node, "ip", event.ip());
        Views.putIfPresent(node, "user_id", event.userId());
        Views.putIfPresent(node, "user_name", event.userName());
        Views.putIfPresent(node, "connection", event.connection());
        if (event.connection() != null) {
            node.put("strategy", "auth0").put("strategy_type", "database");
        }
        if (event.details().get("user_agent") instanceof String userAgent) {
            node.put("user_agent", userAgent);
        }
        node.set("details", Json.MAPPER.valueToTree(event.details()));
        node.put("isMobile", false);
        return node;
    }
}
