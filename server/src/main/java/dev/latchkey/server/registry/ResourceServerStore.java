package dev.latchkey.server.registry;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.util.Optional;

/** Where APIs are kept. */
public interface ResourceServerStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the identifier is taken */
    void create(ResourceServer api);

    Optional<ResourceServer> findById(String id);

    Optional<ResourceServer> findByIdentifier(String identifier);

    Optional<ResourceServer> findSystem();

    Page<ResourceServer> list(PageRequest page);

    void update(ResourceServer api);

    boolean delete(String id);
}
