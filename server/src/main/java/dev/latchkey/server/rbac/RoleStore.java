package dev.latchkey.server.rbac;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The storage roles need: the roles, their permissions and their members. */
public interface RoleStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the name is taken */
    void create(Role role);

    Optional<Role> find(String id);

    /** Of {@code ids}, those that name a role. */
    Set<String> existing(Collection<String> ids);

    /** Roles by creation; {@code nameFilter} (null = any) matches names containing it, ignoring case. */
    Page<Role> list(String nameFilter, PageRequest page);

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the name is taken */
    boolean update(Role role);

    boolean delete(String id);

    Page<Permission> permissions(String roleId, PageRequest page);

    /** Adds what the role does not hold yet. */
    void addPermissions(String roleId, List<Permission> permissions);

    void removePermissions(String roleId, List<Permission> permissions);

    /** The ids of the role's users, in the order they were given it. */
    Page<String> members(String roleId, PageRequest page);

    /** At most {@code take} ids of the role's users after {@code fromUserId} (from the first when null), by id. */
    List<String> membersAfter(String roleId, String fromUserId, int take);

    /** Gives each user each role, skipping what is held already. */
    void assign(Collection<String> userIds, Collection<String> roleIds);

    void unassign(String userId, Collection<String> roleIds);

    Page<Role> rolesOf(String userId, PageRequest page);
}
