package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.rbac.Permission;
import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.ResourceServerStore;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Permissions in Auth0's Management API shape: read from
 * {@code {"permissions":[{"resource_server_identifier","permission_name"}]}}, where each must be a
 * scope the API defines (else 400, so that no role holds a permission nothing can grant), and written
 * as {@code {permission_name, description, resource_server_name, resource_server_identifier}}.
 */
final class PermissionList {

    private static final Set<String> ITEM_FIELDS = Set.of("resource_server_identifier", "permission_name");

    private final ResourceServerStore apis;
    private final RegistryLookups lookups;

    PermissionList(ResourceServerStore apis, RegistryLookups lookups) {
        this.apis = apis;
        this.lookups = lookups;
    }

    List<Permission> read(JsonBody body) {
        body.allowOnly(Set.of("permissions"));
        List<JsonBody> items = body.objects("permissions")
                .orElseThrow(() -> JsonBody.invalid("Missing required property: permissions", null));
        if (items.isEmpty()) {
            throw JsonBody.invalid("Array is too short (0), minimum 1", "permissions");
        }
        if (items.size() > IdList.MAX_ITEMS) {
            throw JsonBody.invalid("Array is too long (" + items.size() + "), maximum " + IdList.MAX_ITEMS,
                    "permissions");
        }
        Set<Permission> permissions = new LinkedHashSet<>();
        for (JsonBody item : items) {
            item.allowOnly(ITEM_FIELDS);
            String identifier = item.requiredString("resource_server_identifier",
                    RegistryLookups.MAX_API_IDENTIFIER_LENGTH);
            String name = item.requiredString("permission_name", 280);
            // Read from the store, not the cache: a scope just added through another node counts.
            ResourceServer api = apis.findByIdentifier(identifier).filter(a -> !a.system()).orElseThrow(() ->
                    ManagementException.badRequest("Resource server not found: " + identifier));
            if (!api.scopeValues().contains(name)) {
                throw ManagementException.badRequest("Permission " + name + " is not defined by the resource server "
                        + identifier);
            }
            permissions.add(new Permission(identifier, name));
        }
        return new ArrayList<>(permissions);
    }

    /** Reads the body's permissions, hands them to {@code change}, and answers {@code status} without a body. */
    void apply(Context ctx, Consumer<List<Permission>> change, int status) {
        change.accept(read(JsonBody.read(ctx)));
        ctx.status(status);
    }

    ObjectNode view(Permission permission) {
        Optional<ResourceServer> api = lookups.api(permission.apiIdentifier());
        ObjectNode node = Json.object()
                .put("permission_name", permission.name())
                .put("description", api.flatMap(a -> a.scopes().stream()
                        .filter(s -> s.value().equals(permission.name())).map(ApiScope::description).findFirst())
                        .orElse(""));
        Views.putIfPresent(node, "resource_server_name", api.map(ResourceServer::name).orElse(null));
        node.put("resource_server_identifier", permission.apiIdentifier());
        return node;
    }
}
