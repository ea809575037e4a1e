package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionStore;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/v2/connections}: the connections users sign in through. They are read-only here, and every
 * client may use every connection: {@code GET /connections/{id}/clients} lists all clients, and
 * {@code PATCH /connections/{id}/clients} accepts enabling (a no-op) but not disabling.
 */
final class ConnectionsResource {

    /** Auth0: at most 50 changes per {@code PATCH /connections/{id}/clients}. */
    private static final int MAX_CHANGES = 50;

    private final ConnectionStore store;
    private final ClientStore clients;

    ConnectionsResource(ConnectionStore store, ClientStore clients) {
        this.store = store;
        this.clients = clients;
    }

    /** Offset paging, or Auth0's checkpoint paging ({@code from}, {@code take}) answering {@code next}. */
    void list(Context ctx, ManagementCaller caller) {
        String strategy = ctx.queryParam("strategy");
        String name = ctx.queryParam("name");
        List<Connection> all = store.list().stream()
                .filter(c -> strategy == null || strategy.isEmpty() || c.strategy().equals(strategy))
                .filter(c -> name == null || name.isEmpty() || c.name().equals(name))
                .toList();
        if (Checkpoint.asked(ctx)) {
            Checkpoint checkpoint = Checkpoint.of(ctx);
            checkpoint.write(ctx, "connections", all.stream()
                            .sorted(Comparator.comparing(Connection::id))
                            .filter(c -> checkpoint.from() == null || c.id().compareTo(checkpoint.from()) > 0)
                            .limit(checkpoint.take()).toList(),
                    Connection::id, ConnectionsResource::view);
            return;
        }
        PageRequest page = Paging.request(ctx);
        int from = (int) Math.min(page.offset(), all.size());
        int to = Math.min(from + page.perPage(), all.size());
        Paging.write(ctx, "connections", page, new Page<>(all.subList(from, to), all.size()),
                ConnectionsResource::view);
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(find(ctx)));
    }

    /** {@code GET /connections/{id}/clients}: the clients that may use the connection (all), checkpoint paged. */
    void enabledClients(Context ctx, ManagementCaller caller) {
        find(ctx);
        Checkpoint checkpoint = Checkpoint.of(ctx);
        checkpoint.write(ctx, "clients", clients.after(checkpoint.from(), checkpoint.take()), Client::clientId,
                client -> Json.object().put("client_id", client.clientId()));
    }

    /**
     * {@code PATCH /connections/{id}/clients}: a list of {@code {client_id, status}}. Every client already may
     * use every connection, so enabling one is accepted as it stands; disabling one is not supported.
     */
    void updateEnabledClients(Context ctx, ManagementCaller caller) {
        find(ctx);
        List<JsonBody> changes = JsonBody.readObjects(ctx);
        if (changes.size() > MAX_CHANGES) {
            throw JsonBody.invalid("Array is too long (" + changes.size() + "), maximum " + MAX_CHANGES, null);
        }
        for (JsonBody change : changes) {
            change.allowOnly(Set.of("client_id", "status"));
            String clientId = change.requiredString("client_id", IdList.MAX_ID_LENGTH);
            boolean enable = change.bool("status").orElseThrow(() ->
                    JsonBody.invalid("Missing required property: status", null));
            if (clients.findById(clientId).isEmpty()) {
                throw ManagementException.notFound("No client with id " + clientId + " exists", "inexistent_client");
            }
            if (!enable) {
                throw ManagementException.forbidden("Every client may use every connection here; disabling a "
                        + "client on a connection is not supported");
            }
        }
        ctx.status(204);
    }

    private Connection find(Context ctx) {
        return PathIds.find(ctx, store::findById, () ->
                ManagementException.notFound("The connection does not exist", "inexistent_connection"));
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
