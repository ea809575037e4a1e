package dev.latchkey.server.store;

import dev.latchkey.server.rbac.Permission;
import dev.latchkey.server.rbac.PermissionSource;
import dev.latchkey.server.rbac.UserPermissionStore;
import org.jdbi.v3.core.Jdbi;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

public final class JdbcUserPermissionStore implements UserPermissionStore {

    private final Jdbi jdbi;
    private final PermissionRows permissionRows;

    public JdbcUserPermissionStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.permissionRows = new PermissionRows(jdbi, "user_permissions", "user_id");
    }

    @Override
    public void add(String userId, List<Permission> permissions) {
        permissionRows.add(userId, permissions);
    }

    @Override
    public void remove(String userId, List<Permission> permissions) {
        permissionRows.remove(userId, permissions);
    }

    @Override
    public List<PermissionSource> sources(String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT resource_server_identifier, permission_name, NULL AS role_id, NULL AS role_name
                        FROM user_permissions WHERE user_id = :user_id
                        UNION ALL
                        SELECT rp.resource_server_identifier, rp.permission_name, r.id, r.name
                        FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                        JOIN role_permissions rp ON rp.role_id = r.id
                        WHERE ur.user_id = :user_id""")
                .bind("user_id", userId)
                .map((rs, ctx) -> new PermissionSource(JdbcRoleStore.PERMISSION.map(rs, ctx),
                        rs.getString("role_id"), rs.getString("role_name")))
                .list());
    }

    @Override
    public Set<String> held(String userId, String apiIdentifier) {
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("""
                        SELECT permission_name FROM user_permissions
                        WHERE user_id = :user_id AND resource_server_identifier = :api
                        UNION
                        SELECT rp.permission_name FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                        WHERE ur.user_id = :user_id AND rp.resource_server_identifier = :api""")
                .bind("user_id", userId).bind("api", apiIdentifier)
                .mapTo(String.class).list()));
    }
}
