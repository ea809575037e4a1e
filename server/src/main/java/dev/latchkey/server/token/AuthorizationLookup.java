package dev.latchkey.server.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Whether an authorization is still in force, for validating JWT access tokens at introspection:
 * one indexed read per authorization per {@link #TTL}. A revocation drops the entry at once on
 * the node that made it and, through {@link RevocationBus}, on the others.
 */
public final class AuthorizationLookup {

    public static final Duration TTL = Duration.ofSeconds(10);

    private final LoadingCache<String, Optional<Authorization>> cache;

    public AuthorizationLookup(AuthorizationStore store) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(200_000).build(store::findActive);
    }

    public Optional<Authorization> active(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return Optional.empty();
        }
        return cache.get(id);
    }

    public void forget(Collection<String> ids) {
        cache.invalidateAll(ids);
    }

    /** Forgets everything: revocations may have been missed. */
    public void forgetAll() {
        cache.invalidateAll();
    }
}
