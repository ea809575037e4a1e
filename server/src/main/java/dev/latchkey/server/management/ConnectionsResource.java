package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.util.List;

/** {@code /api/v2/connections}: the connections users sign in through (read-only for now). */
final class ConnectionsResource {

    private final ConnectionStore store;

    ConnectionsResource(ConnectionStore store) {
        this.store = store;
    }

    void list(Context ctx, ManagementCaller caller) {
        String strategy = ctx.queryParam("strategy");
        String name = ctx.queryParam("name");
        List<Connection> all = store.list().stream()
                .filter(c -> strategy == null || strategy.isEmpty() || c.strategy().equals(strategy))
                .filter(c -> name == null || name.isEmpty() || c.name().equals(name))
                .toList();
        PageRequest page = Paging.request(ctx);
        int from = (int) Math.min(page.offset(), all.size());
        int to = Math.min(from + page.perPage(), all.size());
        Paging.write(ctx, "connections", page, new Page<>(all.subList(from, to), all.size()),
                ConnectionsResource::view);
    }

    void get(Context ctx, ManagementCaller caller) {
        Connection connection = store.findById(ctx.pathParam("id")).orElseThrow(() ->
                ManagementException.notFound("The connection does not exist", "inexistent_connection"));
        Json.write(ctx, 200, view(connection));
    }

    static ObjectNode view(Connection connection) {
        ObjectNode node = Json.object()
                .put("id", connection.id())
                .put("name", connection.name())
                .put("strategy", connection.strategy())
                .put("display_name", connection.displayName() == null ? connection.name()
                        : connection.displayName())
                .put("is_domain_connection", false);
        var clients = node.putArray("enabled_clients");
        connection.enabledClients().forEach(clients::add);
        node.putArray("realms").add(connection.name());
        node.set("options", Json.MAPPER.valueToTree(connection.options()));
        return node;
    }
}
