package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.util.Optional;

/** The storage remembered consents need. */
public interface UserGrantStore {

    Optional<UserGrant> find(String userId, String clientId, String audience);

    /** Creates the grant, or replaces the scopes of the one for the same user, client and audience. */
    void save(UserGrant grant);

    /** Filters are optional (null = any). */
    Page<UserGrant> list(PageRequest page, String userId, String clientId, String audience);

    Optional<UserGrant> findById(String id);

    boolean delete(String id);

    int deleteByUser(String userId);
}
