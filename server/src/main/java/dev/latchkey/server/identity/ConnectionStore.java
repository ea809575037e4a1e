package dev.latchkey.server.identity;

import java.util.List;
import java.util.Optional;

public interface ConnectionStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the name is taken */
    void create(Connection connection);

    Optional<Connection> findByName(String name);

    Optional<Connection> findById(String id);

    List<Connection> list();

    /** Writes everything but the id, name, strategy and creation time; false when the connection is gone. */
    boolean update(Connection connection);

    /**
     * Deletes the connection and, in the same transaction, its users' identities and the logins in progress
     * through it; the users themselves are deleted first by the caller (they hold what was issued to them).
     */
    boolean delete(String id);

    /** Up to {@code limit} ids of the users of connection {@code name}. */
    List<String> userIds(String name, int limit);
}
