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
import java.util.Map;
import java.util.Set;

/** {@code /api/v2/client-grants}: which client may get tokens for which API, with which scopes. */
final class ClientGrantsResource {

    private final ClientGrantStore store;
    private final ClientStore clients;
    private final ResourceServerStore apis;
    private final RegistryLookups lookups;
    private final String managementAudience;
    private final Clock clock;

    /** The properties Latchkey acts on; Auth0's others are kept ({@link KeptFields}). */
    private static final Set<String> MODELLED = Set.of("client_id", "audience", "scope");
    private final KeptFields kept;

    ClientGrantsResource(ClientGrantStore store, ClientStore clients, ResourceServerStore apis,
                         RegistryLookups lookups, String managementAudience, Clock clock, KeptFieldsStore keptStore) {
        this.kept = new KeptFields(keptStore, KeptFieldsStore.CLIENT_GRANT);
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
            List<ClientGrant> grants = store.after(checkpoint.from(), clientId, audience, checkpoint.take());
            var keptOfAll = kept.ofAll(grants, ClientGrant::id);
            checkpoint.write(ctx, "client_grants", grants, ClientGrant::id,
                    grant -> KeptFields.with(view(grant), keptOfAll.get(grant.id())));
            return;
        }
        PageRequest page = Paging.request(ctx);
        var grants = store.list(page, clientId, audience);
        var keptOfAll = kept.ofAll(grants.items(), ClientGrant::id);
        Paging.write(ctx, "client_grants", page, grants,
                grant -> KeptFields.with(view(grant), keptOfAll.get(grant.id())));
    }

    void get(Context ctx, ManagementCaller caller) {
        ClientGrant grant = find(ManagementRouter.pathParam(ctx, "id"));
        Json.write(ctx, 200, KeptFields.with(view(grant), kept.of(grant.id())));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> keptFields = ManagementSchemas.CLIENT_GRANT_CREATE.kept(body, MODELLED);
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
        kept.created(grant.id(), keptFields);
        lookups.invalidateAll();
        Json.write(ctx, 201, KeptFields.with(view(grant), keptFields));
    }

    void update(Context ctx, ManagementCaller caller) {
        ClientGrant existing = find(ManagementRouter.pathParam(ctx, "id"));
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> changes = ManagementSchemas.CLIENT_GRANT_UPDATE.kept(body, MODELLED);
        List<String> scope = body.strings("scope", 280).orElse(existing.scope());
        apis.findByIdentifier(existing.audience()).ifPresent(api -> checkScopes(scope, api));
        checkReach(caller, existing.audience(), scope, existing.scope());
        ClientGrant updated = new ClientGrant(existing.id(), existing.clientId(), existing.audience(), scope,
                existing.createdAt());
        store.update(updated);
        Map<String, Object> keptFields = kept.changed(updated.id(), changes);
        lookups.invalidateAll();
        Json.write(ctx, 200, KeptFields.with(view(updated), keptFields));
    }

    void delete(Context ctx, ManagementCaller caller) {
        String id = find(ManagementRouter.pathParam(ctx, "id")).id();
        if (!store.delete(id)) {
            throw ManagementException.notFound("The client grant does not exist", "inexistent_client_grant");
        }
        kept.deleted(id);
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
