package dev.latchkey.server.registry;

import java.util.Map;
import java.util.Optional;

/**
 * The tenant's settings as Auth0's JSON ({@code /api/v2/tenants/settings}), kept whole so that what
 * Latchkey does not act on yet round-trips; {@link #flag} reads the flags it does act on.
 */
public record TenantSettings(Map<String, Object> json) {

    /** Auth0 §4.2: revoking a refresh token revokes its whole grant (user, application, API). */
    public static final String REVOKE_REFRESH_TOKEN_GRANT = "revoke_refresh_token_grant";
    public static final TenantSettings DEFAULT = new TenantSettings(Map.of());

    public TenantSettings {
        json = Map.copyOf(json);
    }

    /** Auth0 §1.4: the connection the {@code password} grant signs users in through, when set. */
    public Optional<String> defaultDirectory() {
        return json.get("default_directory") instanceof String name && !name.isBlank()
                ? Optional.of(name) : Optional.empty();
    }

    public boolean flag(String name) {
        return json.get("flags") instanceof Map<?, ?> flags && Boolean.TRUE.equals(flags.get(name));
    }
}
