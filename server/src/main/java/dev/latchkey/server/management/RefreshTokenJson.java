package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.registry.AppType;
import dev.latchkey.server.registry.RefreshTokenSettings;

import java.util.Set;

/**
 * A client's {@code refresh_token} object in Auth0's JSON (§4.2): fields left out keep their
 * current value; the limits are Auth0's (lifetimes 1 s to one year, idle no longer than absolute).
 * A SPA's tokens must rotate and expire (RFC 9700 §4.14.2), as Auth0 requires.
 */
final class RefreshTokenJson {

    private static final Set<String> FIELDS = Set.of("rotation_type", "expiration_type", "leeway",
            "token_lifetime", "infinite_token_lifetime", "idle_token_lifetime", "infinite_idle_token_lifetime",
            "policies");

    private RefreshTokenJson() {
    }

    static RefreshTokenSettings read(JsonBody body, AppType appType, RefreshTokenSettings current) {
        body.allowOnly(FIELDS);
        RefreshTokenSettings base = current != null ? current : RefreshTokenSettings.defaultFor(appType);
        boolean rotating = body.string("rotation_type", 20).map(value -> switch (value) {
            case "rotating" -> true;
            case "non-rotating" -> false;
            default -> throw JsonBody.invalid("No enum match for: \"" + value
                    + "\"; expected rotating or non-rotating", "refresh_token.rotation_type");
        }).orElse(base.rotating());
        boolean expiring = body.string("expiration_type", 20).map(value -> switch (value) {
            case "expiring" -> true;
            case "non-expiring" -> false;
            default -> throw JsonBody.invalid("No enum match for: \"" + value
                    + "\"; expected expiring or non-expiring", "refresh_token.expiration_type");
        }).orElse(base.expiring());
        RefreshTokenSettings settings = new RefreshTokenSettings(rotating, expiring,
                body.integer("leeway", 0, RefreshTokenSettings.MAX_LEEWAY).orElse(base.leeway()),
                body.integer("token_lifetime", 1, RefreshTokenSettings.MAX_LIFETIME).orElse(base.tokenLifetime()),
                body.bool("infinite_token_lifetime").orElse(base.infiniteTokenLifetime()),
                body.integer("idle_token_lifetime", 1, RefreshTokenSettings.MAX_LIFETIME)
                        .orElse(base.idleTokenLifetime()),
                body.bool("infinite_idle_token_lifetime").orElse(base.infiniteIdleTokenLifetime()));
        if (settings.expiring() && !settings.infiniteTokenLifetime() && !settings.infiniteIdleTokenLifetime()
                && settings.idleTokenLifetime() > settings.tokenLifetime()) {
            throw JsonBody.invalid("idle_token_lifetime must be less than or equal to token_lifetime",
                    "refresh_token.idle_token_lifetime");
        }
        if (appType == AppType.SPA && (!settings.rotating() || !settings.expiring())) {
            throw JsonBody.invalid("A single-page application's refresh tokens must rotate and expire",
                    "refresh_token");
        }
        return settings;
    }

    static ObjectNode view(RefreshTokenSettings settings) {
        ObjectNode node = Json.object()
                .put("rotation_type", settings.rotationType())
                .put("expiration_type", settings.expirationType())
                .put("leeway", settings.leeway())
                .put("token_lifetime", settings.tokenLifetime())
                .put("infinite_token_lifetime", settings.infiniteTokenLifetime())
                .put("idle_token_lifetime", settings.idleTokenLifetime())
                .put("infinite_idle_token_lifetime", settings.infiniteIdleTokenLifetime());
        node.putArray("policies");
        return node;
    }
}
