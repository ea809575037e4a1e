package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.TenantSettings;
import dev.latchkey.server.registry.TenantSettingsStore;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET/PATCH /api/v2/tenants/settings} (Auth0): the tenant's settings, kept whole so that every property
 * of Auth0's schema ({@link ManagementSchemas#TENANT_SETTINGS_UPDATE}) round-trips. A PATCH replaces the
 * top-level properties it names and merges {@code flags} flag by flag.
 *
 * <p>Latchkey acts on {@code default_audience} (Auth0 §1.2), {@code default_directory} (§1.4),
 * {@code session_lifetime} and {@code idle_session_lifetime} (the SSO session and its cookie),
 * {@code allowed_logout_urls} ({@code /v2/logout} without a client) and {@code flags.revoke_refresh_token_grant}
 * (§4.2).
 */
final class TenantSettingsResource {

    // Rules: session lifetimes are positive hours, at most Auth0's enterprise limits: 365 days absolute
    //        (8760 h), 100 days idle (2400 h); the _in_minutes forms (what auth0-deploy-cli sends) are the
    //        same in minutes, kept as hours. Flags are Auth0's documented ones, each a boolean.
    //        allowed_logout_urls are absolute URLs, as a client's.
    private static final double MAX_SESSION_HOURS = 8760;
    private static final double MAX_IDLE_SESSION_HOURS = 2400;
    private static final Map<String, Double> MAX_HOURS = Map.of(
            "session_lifetime", MAX_SESSION_HOURS, "idle_session_lifetime", MAX_IDLE_SESSION_HOURS,
            "ephemeral_session_lifetime", MAX_SESSION_HOURS, "idle_ephemeral_session_lifetime", MAX_IDLE_SESSION_HOURS);
    private static final String IN_MINUTES = "_in_minutes";
    private static final Set<String> FLAGS = Set.copyOf(ManagementSchemas.TENANT_FLAGS);

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
        Map<String, Object> changes = ManagementSchemas.TENANT_SETTINGS_UPDATE.kept(body, Set.of());
        Map<String, Object> merged = new LinkedHashMap<>(store.read().json());
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            String field = change.getKey();
            if (field.equals("flags")) {
                merged.put("flags", flags(merged.get("flags"), body.node("flags")));
            } else if (field.endsWith(IN_MINUTES)) {
                String hoursField = field.substring(0, field.length() - IN_MINUTES.length());
                merged.put(hoursField, hours(hoursField, ((Number) change.getValue()).doubleValue() / 60, field));
            } else if (MAX_HOURS.containsKey(field)) {
                merged.put(field, hours(field, ((Number) change.getValue()).doubleValue(), field));
            } else if (change.getValue() == null) {
                merged.remove(field);
            } else {
                if (field.equals("allowed_logout_urls")) {
                    checkUrls(change.getValue());
                }
                merged.put(field, change.getValue());
            }
        }
        TenantSettings settings = new TenantSettings(merged);
        store.write(settings);
        lookups.invalidateAll();
        Json.write(ctx, 200, view(settings));
    }

    /** Hours as Auth0 keeps them: a whole number stays one, so that 168 reads back as 168, not 168.0. */
    private static Number hours(String field, double hours, String given) {
        double minimum = 1.0 / 60;
        if (hours < minimum - 1e-9) {
            throw JsonBody.invalid("Value " + format(hours) + " is less than minimum " + format(minimum)
                    + (given.endsWith(IN_MINUTES) ? " (hours; 1 minute)" : ""), given);
        }
        double maximum = MAX_HOURS.get(field);
        if (hours > maximum) {
            throw JsonBody.invalid("Value " + format(hours) + " is greater than maximum " + format(maximum)
                    + (given.endsWith(IN_MINUTES) ? " (hours)" : ""), given);
        }
        return hours == Math.rint(hours) ? (Number) (long) hours : (Number) hours;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static void checkUrls(Object value) {
        List<?> urls = (List<?>) value;
        for (int i = 0; i < urls.size(); i++) {
            String problem = ClientUrls.checkRedirect((String) urls.get(i));
            if (problem != null) {
                throw JsonBody.invalid(problem, "allowed_logout_urls[" + i + "]");
            }
        }
    }

    private static Map<String, Object> flags(Object current, JsonNode changes) {
        Map<String, Object> flags = new LinkedHashMap<>();
        if (current instanceof Map<?, ?> existing) {
            existing.forEach((name, value) -> flags.put(name.toString(), value));
        }
        changes.fields().forEachRemaining(flag -> {
            if (!FLAGS.contains(CleanText.require(flag.getKey(), "flags", false))) {
                throw JsonBody.invalid("Additional properties not allowed: " + flag.getKey(), "flags");
            }
            if (!flag.getValue().isBoolean()) {
                throw JsonBody.typeError("flags." + flag.getKey(), "boolean", flag.getValue());
            }
            flags.put(flag.getKey(), flag.getValue().booleanValue());
        });
        return flags;
    }

    /** The settings with Auth0's defaults for what Latchkey acts on and was never set. */
    private static ObjectNode view(TenantSettings settings) {
        ObjectNode node = Json.MAPPER.valueToTree(settings.json());
        ObjectNode flags = node.has("flags") && node.get("flags").isObject()
                ? (ObjectNode) node.get("flags") : node.putObject("flags");
        if (!flags.has(TenantSettings.REVOKE_REFRESH_TOKEN_GRANT)) {
            flags.put(TenantSettings.REVOKE_REFRESH_TOKEN_GRANT, false);
        }
        if (!node.has("session_lifetime")) {
            node.put("session_lifetime", (long) TenantSettings.DEFAULT_SESSION_LIFETIME_HOURS);
        }
        if (!node.has("idle_session_lifetime")) {
            node.put("idle_session_lifetime", (long) TenantSettings.DEFAULT_IDLE_SESSION_LIFETIME_HOURS);
        }
        return node;
    }
}
