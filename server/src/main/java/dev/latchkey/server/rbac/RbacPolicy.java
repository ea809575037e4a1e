package dev.latchkey.server.rbac;

import dev.latchkey.server.registry.ResourceServer;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides a user-delegated token's scopes and permissions for an API (Auth0 §2.2). With
 * {@code enforce_policies} off, every requested scope is granted and no permissions are listed, as
 * before RBAC. With it on, the API's scopes are granted only when the user holds them, through a role or
 * directly; scopes that are not the API's (openid, profile, email, ...) are not permissions and pass
 * through. Read at every decision, so a removed role or scope changes the next token and no older one.
 */
public final class RbacPolicy {

    private final UserPermissionStore permissions;

    public RbacPolicy(UserPermissionStore permissions) {
        this.permissions = permissions;
    }

    /** @param api the audience, or null for a /userinfo-only token (no API, nothing to enforce) */
    public RbacGrant decide(String userId, ResourceServer api, List<String> requested) {
        if (api == null || !api.enforcePolicies()) {
            return new RbacGrant(requested, List.of());
        }
        Set<String> apiScopes = api.scopeValues();
        // Held permissions of a scope the API no longer defines are not listed: removing a scope from the
        // API takes it out of the next token even while roles still name it.
        Set<String> held = new TreeSet<>(permissions.held(userId, api.identifier()));
        held.retainAll(apiScopes);
        // Auth0 §2.2: scope = requested ∩ permissions (for the API's own scopes).
        List<String> granted = requested.stream()
                .filter(scope -> !apiScopes.contains(scope) || held.contains(scope))
                .toList();
        // Auth0 §2.2: the permissions claim lists all the user holds for the API, not only those requested.
        return new RbacGrant(granted, List.copyOf(held));
    }
}
