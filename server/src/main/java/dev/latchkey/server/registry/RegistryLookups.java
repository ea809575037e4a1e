package dev.latchkey.server.registry;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.Optional;

/**
 * The reads the token endpoint makes on every request (client, API, client grant), cached for a
 * few seconds. Short expiry keeps nodes consistent: a change made through one node is seen by
 * every node within {@link #TTL}. Misses are cached too, so a flood of unknown ids stays off the
 * database. Writes through this node invalidate at once.
 */
public final class RegistryLookups {

    public static final Duration TTL = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 10_000;

    private final LoadingCache<String, Optional<Client>> clients;
    private final LoadingCache<String, Optional<ResourceServer>> apis;
    private final LoadingCache<GrantKey, Optional<ClientGrant>> grants;

    public RegistryLookups(ClientStore clientStore, ResourceServerStore apiStore, ClientGrantStore grantStore) {
        this.clients = cache().build(clientStore::findById);
        this.apis = cache().build(apiStore::findByIdentifier);
        this.grants = cache().build(key -> grantStore.find(key.clientId(), key.audience()));
    }

    public Optional<Client> client(String clientId) {
        return clients.get(clientId);
    }

    public Optional<ResourceServer> api(String identifier) {
        return apis.get(identifier);
    }

    public Optional<ClientGrant> clientGrant(String clientId, String audience) {
        return grants.get(new GrantKey(clientId, audience));
    }

    public void invalidateAll() {
        clients.invalidateAll();
        apis.invalidateAll();
        grants.invalidateAll();
    }

    private static Caffeine<Object, Object> cache() {
        return Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_ENTRIES);
    }

    private record GrantKey(String clientId, String audience) {
    }
}
