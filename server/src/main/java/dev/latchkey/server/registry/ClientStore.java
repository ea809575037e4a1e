package dev.latchkey.server.registry;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.util.List;
import java.util.Optional;

/** Where applications are kept. */
public interface ClientStore {

    void create(Client client);

    Optional<Client> findById(String clientId);

    Page<Client> list(PageRequest page);

    /** Up to {@code take} clients with ids after {@code fromId} (from the first when null), in id order. */
    List<Client> after(String fromId, int take);

    void update(Client client);

    /** Deletes the client and its client grants. */
    boolean delete(String clientId);
}
