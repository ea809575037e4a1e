package dev.latchkey.server.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserAccounts;
import dev.latchkey.server.rbac.Role;
import dev.latchkey.server.rbac.RoleStore;
import dev.latchkey.server.store.DuplicateKeyException;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v2/roles}, its {@code permissions} and {@code users}, in Auth0's JSON: a role is
 * {@code {id, name, description}}; its members are {@code {user_id, email, picture, name}}.
 */
final class RolesResource {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 1000;
    private static final Set<String> FIELDS = Set.of("name", "description");

    private final RoleStore roles;
    private final UserAccounts accounts;
    private final PermissionList permissions;
    private final Clock clock;
    private final KeptFields kept;

    RolesResource(RoleStore roles, UserAccounts accounts, PermissionList permissions, Clock clock,
                  KeptFieldsStore keptStore) {
        this.kept = new KeptFields(keptStore, KeptFieldsStore.ROLE);
        this.roles = roles;
        this.accounts = accounts;
        this.permissions = permissions;
        this.clock = clock;
    }

    void list(Context ctx, ManagementCaller caller) {
        String filter = ctx.queryParam("name_filter");
        if (filter != null && filter.length() > MAX_NAME_LENGTH) {
            throw ManagementException.invalidQuery("Query validation error: 'String must be at most "
                    + MAX_NAME_LENGTH + " characters' on property name_filter.");
        }
        PageRequest page = Paging.request(ctx);
        var listed = roles.list(filter == null || filter.isEmpty() ? null : filter, page);
        var keptOfAll = kept.ofAll(listed.items(), Role::id);
        Paging.write(ctx, "roles", page, listed, role -> KeptFields.with(view(role), keptOfAll.get(role.id())));
    }

    void create(Context ctx, ManagementCaller caller) {
        JsonBody body = JsonBody.read(ctx);
        Map<String, Object> keptFields = ManagementSchemas.ROLE_CREATE.kept(body, FIELDS);
        Role role = new Role(Role.newId(), name(body).orElseThrow(() ->
                JsonBody.invalid("Missing required property: name", null)), description(body), clock.instant());
        try {
            roles.create(role);
        } catch (DuplicateKeyException e) {
            throw ManagementException.conflict(e.getMessage(), "role_conflict");
        }
        kept.created(role.id(), keptFields);
        Json.write(ctx, 201, KeptFields.with(view(role), keptFields));
    }

    void get(Context ctx, ManagementCaller caller) {
        Role role = find(ctx);
        Json.write(ctx, 200, KeptFields.with(view(role), kept.of(role.id())));
    }

    void update(Context ctx, ManagementCaller caller) {
        Role existing = find(ctx);
        JsonBody body = JsonBody.read(ctx);
        ManagementSchemas.ROLE_UPDATE.kept(body, FIELDS);
        Role changed = existing.withNameAndDescription(name(body).orElse(existing.name()),
                body.has("description") ? description(body) : existing.description());
        try {
            if (!roles.update(changed)) {
                throw notFound();
            }
        } catch (DuplicateKeyException e) {
            throw ManagementException.conflict(e.getMessage(), "role_conflict");
        }
        Json.write(ctx, 200, KeptFields.with(view(changed), kept.of(changed.id())));
    }

    void delete(Context ctx, ManagementCaller caller) {
        String id = ManagementRouter.pathParam(ctx, "id");
        // Tokens being issued meanwhile read the user's permissions in one statement: with or without the role.
        if (!CleanText.lookable(id, IdList.MAX_ID_LENGTH) || !roles.delete(id)) {
            throw notFound();
        }
        kept.deleted(id);
        ctx.status(204);
    }

    void listPermissions(Context ctx, ManagementCaller caller) {
        Role role = find(ctx);
        PageRequest page = Paging.request(ctx);
        Paging.write(ctx, "permissions", page, roles.permissions(role.id(), page), permissions::view);
    }

    /** Auth0 answers 201 to adding permissions to a role. */
    void addPermissions(Context ctx, ManagementCaller caller) {
        String id = find(ctx).id();
        permissions.apply(ctx, list -> roles.addPermissions(id, list), 201);
    }

    void removePermissions(Context ctx, ManagementCaller caller) {
        String id = find(ctx).id();
        permissions.apply(ctx, list -> roles.removePermissions(id, list), 204);
    }

    /**
     * Rules: Auth0's {@code GET /roles/{id}/users} pages by offset ({@code page}, {@code per_page},
     * {@code include_totals}) or by checkpoint ({@code from}, {@code take}: {@code {users, next}}), the way
     * Auth0's SDKs ask for it.
     */
    void listUsers(Context ctx, ManagementCaller caller) {
        Role role = find(ctx);
        if (Checkpoint.asked(ctx)) {
            Checkpoint checkpoint = Checkpoint.of(ctx);
            List<User> users = roles.membersAfter(role.id(), checkpoint.from(), checkpoint.take()).stream()
                    .map(accounts::find).flatMap(Optional::stream).toList();
            checkpoint.write(ctx, "users", users, User::userId, RolesResource::memberView);
            return;
        }
        PageRequest page = Paging.request(ctx);
        Page<String> members = roles.members(role.id(), page);
        // A member deleted between the two reads is left out of the page.
        List<User> users = members.items().stream().map(accounts::find).flatMap(Optional::stream).toList();
        Paging.write(ctx, "users", page, new Page<>(users, members.total()), RolesResource::memberView);
    }

    /** Auth0 answers 200 to assigning users to a role. */
    void addUsers(Context ctx, ManagementCaller caller) {
        Role role = find(ctx);
        Set<String> userIds = IdList.read(JsonBody.read(ctx), "users");
        List<String> unknown = userIds.stream().filter(id -> accounts.find(id).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw ManagementException.notFound("Users not found: " + String.join(", ", unknown), "inexistent_user");
        }
        roles.assign(userIds, List.of(role.id()));
        ctx.status(200);
    }

    private Role find(Context ctx) {
        return PathIds.find(ctx, roles::find, RolesResource::notFound);
    }

    static ManagementException notFound() {
        return ManagementException.notFound("The role does not exist.", "inexistent_role");
    }

    private static Optional<String> name(JsonBody body) {
        return body.string("name", MAX_NAME_LENGTH);
    }

    private static String description(JsonBody body) {
        return body.multiLine("description", MAX_DESCRIPTION_LENGTH).orElse(null);
    }

    static ObjectNode view(Role role) {
        ObjectNode node = Json.object().put("id", role.id()).put("name", role.name());
        Views.putIfPresent(node, "description", role.description());
        return node;
    }

    private static ObjectNode memberView(User user) {
        ObjectNode node = Json.object().put("user_id", user.userId());
        Views.putIfPresent(node, "email", user.email());
        Views.putIfPresent(node, "picture", user.picture());
        Views.putIfPresent(node, "name", user.name());
        return node;
    }
}
