package dev.latchkey.server.rbac;

/**
 * Where a user's permission comes from (Auth0's {@code sources}): given directly, or through a role.
 * {@code roleId} and {@code roleName} are null for a direct permission.
 */
public record PermissionSource(Permission permission, String roleId, String roleName) {

    public boolean direct() {
        return roleId == null;
    }
}
