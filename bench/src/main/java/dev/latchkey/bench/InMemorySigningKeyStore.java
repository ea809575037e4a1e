package dev.latchkey.bench;

import dev.latchkey.server.keys.SigningKey;
import dev.latchkey.server.keys.SigningKeyStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A signing key store in a list, so the real {@code SigningKeyRing} runs without a database. */
final class InMemorySigningKeyStore implements SigningKeyStore {

    private final List<SigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<SigningKey> all() {
        return List.copyOf(keys);
    }

    @Override
    public synchronized void changeLocked(Consumer<Changes> change) {
        change.accept(new Changes() {
            @Override
            public List<SigningKey> all() {
                return List.copyOf(keys);
            }

            @Override
            public void insert(SigningKey key) {
                keys.add(key);
            }

            @Override
            public void update(SigningKey key) {
                keys.replaceAll(k -> k.kid().equals(key.kid()) ? key : k);
            }
        });
    }
}
