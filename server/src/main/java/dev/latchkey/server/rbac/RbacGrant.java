package dev.latchkey.server.rbac;

import java.util.List;

/**
 * What RBAC lets a user-delegated token carry: the {@code scopes} to grant (in the order requested) and
 * the {@code permissions} claim of the {@code *_authz} dialects.
 */
public record RbacGrant(List<String> scopes, List<String> permissions) {

    public RbacGrant {
        scopes = List.copyOf(scopes);
        permissions = List.copyOf(permissions);
    }
}
