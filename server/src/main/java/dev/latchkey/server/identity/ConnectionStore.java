package dev.latchkey.server.identity;

import java.util.List;
import java.util.Optional;

public interface ConnectionStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the name is taken */
    void create(Connection connection);

    Optional<Connection> findByName(String name);

    Optional<Connection> findById(String id);

    List<Connection> list();
}
