package dev.latchkey.server.management;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.latchkey.server.registry.RegistryLookups;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;

/**
 * The kept properties of one object ({@link KeptFieldsStore#read}), cached for {@link RegistryLookups#TTL} like the
 * registry reads beside them, so that reading one client, API or grant does not cost a database read for
 * properties Latchkey does not act on.
 * <p>
 * Every write of kept properties goes through this node's Management API and so through this cache, which
 * forgets the object once the store has it: a read after a write on the same node sees the write (an
 * invalidation waits for a load of the same key under way, so no older value lands after it). Another node
 * sees it within {@link RegistryLookups#TTL}. Absent objects are cached too (an empty map). Lists
 * ({@link #readAll}) go to the store: one read per page already.
 */
final class KeptFieldsCache implements KeptFieldsStore {

    private static final int MAX_ENTRIES = 10_000;

    private final KeptFieldsStore store;
    private final LoadingCache<Key, Map<String, Object>> cache;

    KeptFieldsCache(KeptFieldsStore store) {
        this.store = store;
        this.cache = Caffeine.newBuilder().expireAfterWrite(RegistryLookups.TTL).maximumSize(MAX_ENTRIES)
                .build(key -> Collections.unmodifiableMap(store.read(key.kind(), key.id())));
    }

    @Override
    public Map<String, Object> read(String kind, String id) {
        return cache.get(new Key(kind, id));
    }

    @Override
    public Map<String, Map<String, Object>> readAll(String kind, Collection<String> ids) {
        return store.readAll(kind, ids);
    }

    @Override
    public void write(String kind, String id, Map<String, Object> fields) {
        store.write(kind, id, fields);
        cache.invalidate(new Key(kind, id));
    }

    @Override
    public void delete(String kind, String id) {
        store.delete(kind, id);
        cache.invalidate(new Key(kind, id));
    }

    private record Key(String kind, String id) {
    }
}
