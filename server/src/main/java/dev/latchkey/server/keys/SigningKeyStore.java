package dev.latchkey.server.keys;

import java.util.List;
import java.util.function.Consumer;

/** Where the signing keys are kept, private parts sealed with the master key. */
public interface SigningKeyStore {

    /** Every key, revoked ones included, oldest first. */
    List<SigningKey> all();

    /**
     * Runs {@code change} in one transaction holding a lock that every node takes before it
     * changes the ring, so two nodes starting or rotating at once cannot both add a key.
     */
    void changeLocked(Consumer<Changes> change);

    /** What a locked change may do. */
    interface Changes {
        List<SigningKey> all();

        void insert(SigningKey key);

        void update(SigningKey key);
    }
}
