package dev.latchkey.server.registry;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reads the token endpoint makes on every request (client, API, client grant), and the Management API
 * on its reads of one client (the client, every grant of a client), cached for a few seconds. Short expiry
 * keeps nodes consistent: a change made through one node is seen by every node within {@link #TTL}. Misses
 * are cached too, so a flood of unknown ids stays off the database. Writes through this node invalidate at
 * once (every Management API write of a client, an API, a client grant or the tenant calls
 * {@link #invalidateAll}), so a read after a write on the same node sees the write.
 */
public final class RegistryLookups {

    public static final Duration TTL = Duration.ofSeconds(5);
    /**
     * Client ids are at most this long (generated ones are 32 characters; the Management API takes no longer
     * ones). A longer id is unknown without a look-up, so that a flood of long junk ids neither reaches the
     * database nor fills the cache with large keys.
     */
    public static final int MAX_CLIENT_ID_LENGTH = 64;
    /** API identifiers are at most this long (the Management API's limit); the same reasoning. */
    public static final int MAX_API_IDENTIFIER_LENGTH = 600;
    private static final int MAX_ENTRIES = 10_000;
    private static final int GRANTS_PAGE = 100;

    private final LoadingCache<String, Optional<Client>> clients;
    private final LoadingCache<String, Optional<ResourceServer>> apis;
    private final LoadingCache<GrantKey, Optional<ClientGrant>> grants;
    private final LoadingCache<String, List<ClientGrant>> grantsOfClient;
    private final LoadingCache<Boolean, TenantSettings> tenant;

    public RegistryLookups(ClientStore clientStore, ResourceServerStore apiStore, ClientGrantStore grantStore,
                           TenantSettingsStore tenantStore) {
        this.clients = cache().build(clientStore::findById);
        this.apis = cache().build(apiStore::findByIdentifier);
        this.grants = cache().build(key -> grantStore.find(key.clientId(), key.audience()));
        this.grantsOfClient = cache().build(clientId -> allGrantsOf(grantStore, clientId));
        this.tenant = cache().build(key -> tenantStore.read());
    }

    public TenantSettings tenant() {
        return tenant.get(Boolean.TRUE);
    }

    public Optional<Client> client(String clientId) {
        return lookable(clientId, MAX_CLIENT_ID_LENGTH) ? clients.get(clientId) : Optional.empty();
    }

    public Optional<ResourceServer> api(String identifier) {
        return lookable(identifier, MAX_API_IDENTIFIER_LENGTH) ? apis.get(identifier) : Optional.empty();
    }

    public Optional<ClientGrant> clientGrant(String clientId, String audience) {
        return lookable(clientId, MAX_CLIENT_ID_LENGTH) && lookable(audience, MAX_API_IDENTIFIER_LENGTH)
                ? grants.get(new GrantKey(clientId, audience)) : Optional.empty();
    }

    /** Every client grant of a client, whatever its API (none for an unknown client). */
    public List<ClientGrant> clientGrants(String clientId) {
        return lookable(clientId, MAX_CLIENT_ID_LENGTH) ? grantsOfClient.get(clientId) : List.of();
    }

    private static List<ClientGrant> allGrantsOf(ClientGrantStore store, String clientId) {
        List<ClientGrant> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<ClientGrant> batch = store.list(new PageRequest(page, GRANTS_PAGE), clientId, null);
            all.addAll(batch.items());
            if (batch.items().size() < GRANTS_PAGE) {
                return List.copyOf(all);
            }
        }
    }

    /** A key that can name something stored: present, not empty, and no longer than its column. */
    private static boolean lookable(String key, int maxLength) {
        return key != null && !key.isEmpty() && key.length() <= maxLength;
    }

    public void invalidateAll() {
        clients.invalidateAll();
        apis.invalidateAll();
        grants.invalidateAll();
        grantsOfClient.invalidateAll();
        tenant.invalidateAll();
    }

    private static Caffeine<Object, Object> cache() {
        return Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(MAX_ENTRIES);
    }

    private record GrantKey(String clientId, String audience) {
    }
}
