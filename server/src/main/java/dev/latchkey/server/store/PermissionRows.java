package dev.latchkey.server.store;

import dev.latchkey.server.rbac.Permission;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

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
