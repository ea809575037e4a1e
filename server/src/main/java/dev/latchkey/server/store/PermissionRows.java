package dev.latchkey.server.store;

import dev.latchkey.server.rbac.Permission;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Set;

/**
 * Adds and removes the permission rows of one owner, a role ({@code role_permissions.role_id}) or a
 * user ({@code user_permissions.user_id}): both tables have the same shape. Table and column names
 * come from this package, never from a request.
 */
final class PermissionRows {

    private final Jdbi jdbi;
    private final String table;
    private final String owner;

    PermissionRows(Jdbi jdbi, String table, String ownerColumn) {
        this.jdbi = jdbi;
        this.table = table;
        this.owner = ownerColumn;
    }

    /** Adds what the owner does not hold yet. */
    void add(String ownerId, List<Permission> permissions) {
        String sql = "INSERT INTO " + table + " (" + owner + ", resource_server_identifier, permission_name) "
                + "SELECT :owner, :api, :name WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + owner
                + " = :owner AND resource_server_identifier = :api AND permission_name = :name)";
        jdbi.useHandle(h -> {
            for (Permission permission : permissions) {
                JdbcRoleStore.insertMissing(h.createUpdate(sql).bind("owner", ownerId)
                        .bind("api", permission.apiIdentifier()).bind("name", permission.name()));
            }
        });
    }

    /**
     * Removes, from roles and users alike, the permissions of an API that it no longer defines, so that a
     * scope removed and later defined again does not come back to those who held it (Auth0 drops them too).
     */
    static void dropUndefined(Handle handle, String apiIdentifier, Set<String> defined) {
        for (String table : List.of("role_permissions", "user_permissions")) {
            String sql = "DELETE FROM " + table + " WHERE resource_server_identifier = :api"
                    + (defined.isEmpty() ? "" : " AND permission_name NOT IN (<defined>)");
            var delete = handle.createUpdate(sql).bind("api", apiIdentifier);
            if (!defined.isEmpty()) {
                delete.bindList("defined", List.copyOf(defined));
            }
            delete.execute();
        }
    }

    void remove(String ownerId, List<Permission> permissions) {
        String sql = "DELETE FROM " + table + " WHERE " + owner
                + " = :owner AND resource_server_identifier = :api AND permission_name = :name";
        jdbi.useTransaction(h -> {
            for (Permission permission : permissions) {
                h.createUpdate(sql).bind("owner", ownerId).bind("api", permission.apiIdentifier())
                        .bind("name", permission.name()).execute();
            }
        });
    }
}
