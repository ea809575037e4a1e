package dev.latchkey.server.registry;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.util.List;
import java.util.Optional;

/** Where client grants are kept. */
public interface ClientGrantStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the client already has a grant for the audience */
    void create(ClientGrant grant);

    Optional<ClientGrant> findById(String id);

    Optional<ClientGrant> find(String clientId, String audience);

    /** Filters are optional (null means any). */
    Page<ClientGrant> list(PageRequest page, String clientId, String audience);

    /** Up to {@code take} grants with ids after {@code fromId} (from the first when null), in id order. */
    List<ClientGrant> after(String fromId, String clientId, String audience, int take);

    void update(ClientGrant grant);

    boolean delete(String id);

    /** Points every grant for {@code from} at {@code to} (the Management API after an issuer change). */
    void moveAudience(String from, String to);

    /** Removes every grant for an audience (when its API is deleted). */
    void deleteByAudience(String audience);
}
