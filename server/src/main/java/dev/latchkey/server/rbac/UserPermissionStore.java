package dev.latchkey.server.rbac;

import java.util.List;
import java.util.Set;

/** The storage of users' permissions: those given directly, and what users hold through their roles. */
public interface UserPermissionStore {

    /** Adds what the user does not hold directly yet. */
    void add(String userId, List<Permission> permissions);

    void remove(String userId, List<Permission> permissions);

    /** Every permission the user holds, directly and through roles, one entry per source. */
    List<PermissionSource> sources(String userId);

    /**
     * The names of the permissions the user holds for one API, directly or through a role, read in one
     * statement so that a role deleted meanwhile is either wholly in or wholly out.
     */
    Set<String> held(String userId, String apiIdentifier);
}
