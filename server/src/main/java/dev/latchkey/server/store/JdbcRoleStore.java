package dev.latchkey.server.store;

import dev.latchkey.server.rbac.Permission;
import dev.latchkey.server.rbac.Role;
import dev.latchkey.server.rbac.RoleStore;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.Update;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

public final class JdbcRoleStore implements RoleStore {

    private static final RowMapper<Role> MAPPER = (rs, ctx) -> new Role(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("description"),
            Times.instant(rs.getLong("created_at")));
    static final RowMapper<Permission> PERMISSION = (rs, ctx) -> new Permission(
            rs.getString("resource_server_identifier"), rs.getString("permission_name"));
    private static final String DUPLICATE_NAME = "A role with this name already exists.";

    private final Jdbi jdbi;
    private final PermissionRows permissionRows;
    private final Clock clock;

    public JdbcRoleStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.permissionRows = new PermissionRows(jdbi, "role_permissions", "role_id");
        this.clock = clock;
    }

    @Override
    public void create(Role role) {
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                    INSERT INTO roles (id, name, description, created_at)
                    VALUES (:id, :name, :description, :created_at)""")
                    .bind("id", role.id())
                    .bind("name", role.name())
                    .bind("description", role.description())
                    .bind("created_at", Times.millis(role.createdAt()))
                    .execute());
        } catch (StatementException e) {
            throw UniqueViolations.is(e) ? new DuplicateKeyException(DUPLICATE_NAME) : e;
        }
    }

    @Override
    public Optional<Role> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM roles WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne());
    }

    @Override
    public Set<String> existing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(h -> new HashSet<>(h.createQuery("SELECT id FROM roles WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).mapTo(String.class).list()));
    }

    @Override
    public Page<Role> list(String nameFilter, PageRequest page) {
        // The filter is added only when given: PostgreSQL cannot type a bare NULL parameter.
        String where = nameFilter == null ? "" : " WHERE LOWER(name) LIKE :pattern ESCAPE '\\'";
        String pattern = nameFilter == null ? null : LikePatterns.containing(nameFilter.toLowerCase(Locale.ROOT));
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("SELECT * FROM roles" + where + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                        .bind("pattern", pattern).bind("limit", page.perPage()).bind("offset", page.offset())
                        .map(MAPPER).list(),
                h.createQuery("SELECT COUNT(*) FROM roles" + where).bind("pattern", pattern)
                        .mapTo(Long.class).one()));
    }

    @Override
    public boolean update(Role role) {
        try {
            return jdbi.withHandle(h -> h.createUpdate(
                            "UPDATE roles SET name = :name, description = :description WHERE id = :id")
                    .bind("id", role.id())
                    .bind("name", role.name())
                    .bind("description", role.description())
                    .execute()) > 0;
        } catch (StatementException e) {
            throw UniqueViolations.is(e) ? new DuplicateKeyException(DUPLICATE_NAME) : e;
        }
    }

    @Override
    public boolean delete(String id) {
        // Its permissions and assignments go with it (ON DELETE CASCADE).
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM roles WHERE id = :id").bind("id", id).execute()) > 0;
    }

    @Override
    public Page<Permission> permissions(String roleId, PageRequest page) {
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("""
                        SELECT resource_server_identifier, permission_name FROM role_permissions WHERE role_id = :id
                        ORDER BY resource_server_identifier, permission_name LIMIT :limit OFFSET :offset""")
                        .bind("id", roleId).bind("limit", page.perPage()).bind("offset", page.offset())
                        .map(PERMISSION).list(),
                h.createQuery("SELECT COUNT(*) FROM role_permissions WHERE role_id = :id").bind("id", roleId)
                        .mapTo(Long.class).one()));
    }

    @Override
    public void addPermissions(String roleId, List<Permission> permissions) {
        permissionRows.add(roleId, permissions);
    }

    @Override
    public void removePermissions(String roleId, List<Permission> permissions) {
        permissionRows.remove(roleId, permissions);
    }

    @Override
    public Page<String> members(String roleId, PageRequest page) {
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("""
                        SELECT user_id FROM user_roles WHERE role_id = :id
                        ORDER BY created_at, user_id LIMIT :limit OFFSET :offset""")
                        .bind("id", roleId).bind("limit", page.perPage()).bind("offset", page.offset())
                        .mapTo(String.class).list(),
                h.createQuery("SELECT COUNT(*) FROM user_roles WHERE role_id = :id").bind("id", roleId)
                        .mapTo(Long.class).one()));
    }

    @Override
    public List<String> membersAfter(String roleId, String fromUserId, int take) {
        String after = fromUserId == null ? "" : " AND user_id > :from";
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM user_roles WHERE role_id = :id" + after
                        + " ORDER BY user_id LIMIT :take")
                .bind("id", roleId).bind("from", fromUserId).bind("take", take).mapTo(String.class).list());
    }

    @Override
    public void assign(Collection<String> userIds, Collection<String> roleIds) {
        long now = Times.millis(clock.instant());
        jdbi.useHandle(h -> {
            for (String userId : userIds) {
                for (String roleId : roleIds) {
                    insertMissing(h.createUpdate("""
                            INSERT INTO user_roles (user_id, role_id, created_at)
                            SELECT :user_id, :role_id, :created_at WHERE NOT EXISTS (SELECT 1 FROM user_roles
                                WHERE user_id = :user_id AND role_id = :role_id)""")
                            .bind("user_id", userId).bind("role_id", roleId).bind("created_at", now));
                }
            }
        });
    }

    @Override
    public void unassign(String userId, Collection<String> roleIds) {
        if (roleIds.isEmpty()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM user_roles WHERE user_id = :user_id AND role_id IN (<ids>)")
                .bind("user_id", userId).bindList("ids", List.copyOf(roleIds)).execute());
    }

    @Override
    public Page<Role> rolesOf(String userId, PageRequest page) {
        return jdbi.withHandle(h -> new Page<>(
                h.createQuery("""
                        SELECT r.* FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = :user_id
                        ORDER BY r.created_at, r.id LIMIT :limit OFFSET :offset""")
                        .bind("user_id", userId).bind("limit", page.perPage()).bind("offset", page.offset())
                        .map(MAPPER).list(),
                h.createQuery("SELECT COUNT(*) FROM user_roles WHERE user_id = :user_id").bind("user_id", userId)
                        .mapTo(Long.class).one()));
    }

    /**
     * Runs one insert-unless-present on its own (autocommit), so that a row another call inserted
     * meanwhile (unique key), or a role, user or API deleted meanwhile (foreign key), skips that row
     * alone: both end as if this call had come first.
     */
    static void insertMissing(Update insert) {
        try {
            insert.execute();
        } catch (StatementException e) {
            if (!IntegrityViolations.is(e)) {
                throw e;
            }
        }
    }
}
