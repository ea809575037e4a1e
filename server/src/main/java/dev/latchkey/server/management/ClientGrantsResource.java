package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.ClientGrantStore;
import dev.latchkey.server.registry.ClientStore;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.ResourceServerStore;
import dev.latchkey.server.store.DuplicateKeyException;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code /api/v2/client-grants}: which client may get tokens for which API, with which scopes. */
final class ClientGrantsResource {

    private final ClientGrantStore store;
    private final ClientStore clients;
    private final ResourceServerStore apis;
    private final RegistryLookups lookups;
    private final String managementAudience;
    private final Clock clock;

    ClientGrantsResource(ClientGrantStore store, ClientStore clients, ResourceServerStore apis,
                         RegistryLookups lookups, String managementAudience, Clock clock) {
        this.store = store;
        this.clients = clients;
        this.apis = apis;
        this.lookups = lookups;
        this.managementAudience = managementAudience;
        this.clock = clock;
    }

    /** Offset paging, or Auth0's checkpoint paging ({@code from}, {@code take}) answering {@code next}. */
    void list(Context ctx, ManagementCaller caller) {
        String clientId = ctx.queryParam("client_id");
        String audience = ctx.queryParam("audience");
        if (Checkpoint.asked(ctx)) {
            Checkpoint checkpoint = Checkpoint.of(ctx);
            checkpoint.write(ctx, "client_grants",
                    store.after(checkpoint.from(), clientId, audience, checkpoint.take()), ClientGrant::id,
                    ClientGrantsResource::view);
            return;
        }
        PageRequest page = Paging.request(ctx);
        Paging.write(ctx, "client_grants", page, store.list(page, clientId, audience), ClientGrantsResource::view);
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(find(ctx.pathParam("id"))));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(Set.of("client_id", "audience", "scope"));
        String clientId = body.requiredString("client_id", RegistryLookups.MAX_CLIENT_ID_LENGTH);
        String audience = body.requiredString("audience", 600);
        List<String> scope = body.strings("scope", 280)
                .orElseThrow(() -> JsonBody.invalid("Missing required property: scope", null));
        if (clients.findById(clientId).isEmpty()) {
            throw ManagementException.notFound("No client with id " + clientId + " exists", "inexistent_client");
        }
        ResourceServer api = apis.findByIdentifier(audience).orElseThrow(() -> ManagementException.notFound(
                "No resource server with identifier " + audience + " exists", "inexistent_resource_server"));
        checkScopes(scope, api);
        checkReach(caller, audience, scope, List.of());
        ClientGrant grant = new ClientGrant("cgr_" + RandomStrings.alphanumeric(16), clientId, audience,
                scope, clock.instant());
        try {
            store.create(grant);
        } catch (DuplicateKeyException e) {
            throw ManagementException.conflict(e.getMessage(), "client_grant_conflict");
        }
        lookups.invalidateAll();
        Json.write(ctx, 201, view(grant));
    }

    void update(Context ctx, ManagementCaller caller) {
        ClientGrant existing = find(ctx.pathParam("id"));
        JsonBody body = JsonBody.read(ctx);
        body.allowOnly(Set.of("scope"));
        List<String> scope = body.strings("scope", 280).orElse(existing.scope());
        apis.findByIdentifier(existing.audience()).ifPresent(api -> checkScopes(scope, api));
        checkReach(caller, existing.audience(), scope, existing.scope());
        ClientGrant updated = new ClientGrant(existing.id(), existing.clientId(), existing.audience(), scope,
                existing.createdAt());
        store.update(updated);
        lookups.invalidateAll();
        Json.write(ctx, 200, view(updated));
    }

    void delete(Context ctx, ManagementCaller caller) {
        if (!store.delete(find(ctx.pathParam("id")).id())) {
            throw ManagementException.notFound("The client grant does not exist", "inexistent_client_grant");
        }
        lookups.invalidateAll();
        ctx.status(204);
    }

    private ClientGrant find(String id) {
        return store.findById(id).orElseThrow(() ->
                ManagementException.notFound("The client grant does not exist", "inexistent_client_grant"));
    }

    /** A grant may only name scopes its API defines. */
    private static void checkScopes(List<String> scope, ResourceServer api) {
        Set<String> defined = api.scopeValues();
        for (String value : scope) {
            if (!defined.contains(value)) {
                throw JsonBody.invalid("Scope " + value + " is not defined by the API " + api.identifier(), "scope");
            }
        }
    }

    /**
     * A Management API scope goes into a grant only from a caller that holds it: otherwise
     * {@code create:client_grants} would let a caller grant itself every other Management scope.
     */
    private void checkReach(ManagementCaller caller, String audience, List<String> scope, List<String> before) {
        if (!audience.equals(managementAudience)) {
            return;
        }
        List<String> beyond = scope.stream().filter(s -> !before.contains(s) && !caller.scopes().contains(s)).toList();
        if (!beyond.isEmpty()) {
            throw ManagementException.insufficientScopeFor("Insufficient scope to grant Management API scopes the "
                    + "caller does not hold: " + String.join(", ", beyond));
        }
    }

    static ObjectNode view(ClientGrant grant) {
        ObjectNode node = Json.object()
                .put("id", grant.id())
                .put("client_id", grant.clientId())
                .put("audience", grant.audience());
        ArrayNode scope = node.putArray("scope");
        grant.scope().forEach(scope::add);
        return node;
    }
}
