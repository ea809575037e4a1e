package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.rbac.Permission;
import dev.latchkey.server.rbac.PermissionSource;
import dev.latchkey.server.rbac.RoleStore;
import dev.latchkey.server.rbac.UserPermissionStore;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v2/users/{id}/roles} and {@code /api/v2/users/{id}/permissions}: what a user holds, in
 * Auth0's JSON. A user's permissions are listed with their {@code sources} (given directly, or through
 * which roles); adding and removing touches only the direct ones, as Auth0 does.
 */
final class UserAccessResource {

    private final UserAccounts accounts;
    private final RoleStore roles;
    private final UserPermissionStore userPermissions;
    private final PermissionList permissions;

    UserAccessResource(UserAccounts accounts, RoleStore roles, UserPermissionStore userPermissions,
                       PermissionList permissions) {
        this.accounts = accounts;
        this.roles = roles;
        this.userPermissions = userPermissions;
        this.permissions = permissions;
    }

    void listRoles(Context ctx, ManagementCaller caller) {
        User user = find(ctx);
        PageRequest page = Paging.request(ctx);
        Paging.write(ctx, "roles", page, roles.rolesOf(user.userId(), page), RolesResource::view);
    }

    /** Auth0 answers 204 to assigning roles to a user. */
    void addRoles(Context ctx, ManagementCaller caller) {
        User user = find(ctx);
        Set<String> roleIds = knownRoles(IdList.read(JsonBody.read(ctx), "roles"));
        roles.assign(List.of(user.userId()), roleIds);
        ctx.status(204);
    }

    void removeRoles(Context ctx, ManagementCaller caller) {
        User user = find(ctx);
        roles.unassign(user.userId(), knownRoles(IdList.read(JsonBody.read(ctx), "roles")));
        ctx.status(204);
    }

    void listPermissions(Context ctx, ManagementCaller caller) {
        User user = find(ctx);
        PageRequest page = Paging.request(ctx);
        Map<Permission, List<PermissionSource>> grouped = new LinkedHashMap<>();
        userPermissions.sources(user.userId()).stream()
                .sorted(Comparator.comparing((PermissionSource s) -> s.permission().apiIdentifier())
                        .thenComparing(s -> s.permission().name()))
                .forEach(s -> grouped.computeIfAbsent(s.permission(), p -> new ArrayList<>()).add(s));
        List<Map.Entry<Permission, List<PermissionSource>>> all = new ArrayList<>(grouped.entrySet());
        int from = (int) Math.min(page.offset(), all.size());
        int to = Math.min(from + page.perPage(), all.size());
        Paging.write(ctx, "permissions", page, new Page<>(all.subList(from, to), all.size()), this::view);
    }

    /** Auth0 answers 201 to giving a user permissions. */
    void addPermissions(Context ctx, ManagementCaller caller) {
        String id = find(ctx).userId();
        permissions.apply(ctx, list -> userPermissions.add(id, list), 201);
    }

    void removePermissions(Context ctx, ManagementCaller caller) {
        String id = find(ctx).userId();
        permissions.apply(ctx, list -> userPermissions.remove(id, list), 204);
    }

    private User find(Context ctx) {
        return PathIds.find(ctx, accounts::find, UserAccessResource::notFound);
    }

    private static ManagementException notFound() {
        return ManagementException.notFound("The user does not exist.", "inexistent_user");
    }

    private Set<String> knownRoles(Set<String> ids) {
        Set<String> found = roles.existing(ids);
        List<String> unknown = ids.stream().filter(id -> !found.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw ManagementException.notFound("Roles not found: " + String.join(", ", unknown), "inexistent_role");
        }
        return ids;
    }

    /** Auth0's user permission with its {@code sources} ({@code DIRECT}, or {@code ROLE} naming the role). */
    private ObjectNode view(Map.Entry<Permission, List<PermissionSource>> entry) {
        ObjectNode node = permissions.view(entry.getKey());
        ArrayNode sources = node.putArray("sources");
        for (PermissionSource source : entry.getValue()) {
            ObjectNode item = sources.addObject();
            item.put("source_id", source.direct() ? "" : source.roleId());
            item.put("source_name", source.direct() ? "" : source.roleName());
            item.put("source_type", source.direct() ? "DIRECT" : "ROLE");
        }
        return node;
    }
}
