package dev.latchkey.server.identity;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A connection store whose look-ups by name are kept {@link #TTL}: an upstream login reads its connection at
 * {@code /authorize} and again at {@code /login/callback}, each read a row, its JSON and its sealed client
 * secret opened. As for clients ({@code RegistryLookups}), a change made through another node is seen here
 * within {@link #TTL}, and a change made through this one at once: every write through this store empties the
 * cache. Unknown names are kept too (at most {@value #MAX_ENTRIES} names), so a flood of made-up
 * {@code connection=} values stays off the database. Everything else goes straight to the store.
 */
public final class CachedConnectionStore implements ConnectionStore {

    public static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 1_000;

    private final ConnectionStore store;
    private final LoadingCache<String, Optional<Connection>> byName;

    public CachedConnectionStore(ConnectionStore store) {
        this(store, Ticker.systemTicker());
    }

    CachedConnectionStore(ConnectionStore store, Ticker ticker) {
        this.store = store;
        this.byName = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_ENTRIES).ticker(ticker)
                .build(store::findByName);
    }

    @Override
    public Optional<Connection> findByName(String name) {
        return byName.get(name);
    }

    @Override
    public void create(Connection connection) {
        written(() -> {
            store.create(connection);
            return null;
        });
    }

    @Override
    public boolean update(Connection connection) {
        return written(() -> store.update(connection));
    }

    @Override
    public boolean delete(String id) {
        return written(() -> store.delete(id));
    }

    /** A write through the store; the cache is emptied after it, whether it succeeded or not. */
    private <T> T written(Supplier<T> write) {
        try {
            return write.get();
        } finally {
            byName.invalidateAll();
        }
    }

    @Override
    public Optional<Connection> findById(String id) {
        return store.findById(id);
    }

    @Override
    public List<Connection> list() {
        return store.list();
    }

    @Override
    public List<String> userIds(String name, int limit) {
        return store.userIds(name, limit);
    }
}
