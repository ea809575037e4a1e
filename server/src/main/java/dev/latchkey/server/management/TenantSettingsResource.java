package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.TenantSettings;
import dev.latchkey.server.registry.TenantSettingsStore;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET/PATCH /api/v2/tenants/settings} (Auth0): the tenant's settings, kept whole so that fields
 * Latchkey does not act on yet round-trip. A PATCH replaces the top-level fields it names and merges
 * {@code flags} flag by flag. Latchkey acts on {@code flags.revoke_refresh_token_grant} (Auth0 §4.2).
 */
final class TenantSettingsResource {

    private final TenantSettingsStore store;
    private final RegistryLookups lookups;

    TenantSettingsResource(TenantSettingsStore store, RegistryLookups lookups) {
        this.store = store;
        this.lookups = lookups;
    }

    void get(Context ctx, ManagementCaller caller) {
        Json.write(ctx, 200, view(store.read()));
    }

    void update(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> changes = body.asMap();
        Map<String, Object> merged = new LinkedHashMap<>(store.read().json());
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            if (change.getKey().equals("flags")) {
                merged.put("flags", flags(merged.get("flags"), change.getValue()));
            } else if (change.getValue() == null) {
                merged.remove(change.getKey());
            } else {
                merged.put(change.getKey(), change.getValue());
            }
        }
        TenantSettings settings = new TenantSettings(merged);
        store.write(settings);
        lookups.invalidateAll();
        Json.write(ctx, 200, view(settings));
    }

    private static Map<String, Object> flags(Object current, Object changes) {
        if (!(changes instanceof Map<?, ?> changed)) {
            throw JsonBody.invalid("Expected type object", "flags");
        }
        Map<String, Object> flags = new LinkedHashMap<>();
        if (current instanceof Map<?, ?> existing) {
            existing.forEach((name, value) -> flags.put(name.toString(), value));
        }
        for (Map.Entry<?, ?> flag : changed.entrySet()) {
            if (!(flag.getValue() instanceof Boolean)) {
                throw JsonBody.invalid("Expected type boolean", "flags." + flag.getKey());
            }
            flags.put(flag.getKey().toString(), flag.getValue());
        }
        return flags;
    }

    private static ObjectNode view(TenantSettings settings) {
        ObjectNode node = Json.MAPPER.valueToTree(settings.json());
        ObjectNode flags = node.has("flags") && node.get("flags").isObject()
                ? (ObjectNode) node.get("flags") : node.putObject("flags");
        if (!flags.has(TenantSettings.REVOKE_REFRESH_TOKEN_GRANT)) {
            flags.put(TenantSettings.REVOKE_REFRESH_TOKEN_GRANT, false);
        }
        return node;
    }
}
