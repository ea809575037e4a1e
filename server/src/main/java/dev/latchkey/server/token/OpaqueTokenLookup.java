package dev.latchkey.server.token;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.latchkey.server.keys.SecretHash;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * Finds the opaque token a bearer value names: one indexed lookup by digest, remembered for a few
 * seconds so a busy /userinfo reads the database once per token per interval. Expiry is checked on
 * every use; a revocation on this node is seen at once, on other nodes within {@link #TTL}.
 */
public final class OpaqueTokenLookup {

    public static final Duration TTL = Duration.ofSeconds(10);

    private final LoadingCache<String, Optional<OpaqueToken>> cache;
    private final Clock clock;

    public OpaqueTokenLookup(OpaqueTokenStore store, Clock clock) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(200_000).build(store::find);
        this.clock = clock;
    }

    /** The live token, if the value names one that has not expired or been revoked. */
    public Optional<OpaqueToken> find(String value) {
        if (value == null || value.isEmpty() || value.length() > 200) {
            return Optional.empty();
        }
        return cache.get(SecretHash.of(value)).filter(token -> !token.expired(clock.instant()));
    }

    /** Drops revoked tokens from the cache. */
    public void forget(Collection<String> tokenHashes) {
        cache.invalidateAll(tokenHashes);
    }

    /** Forgets everything: revocations may have been missed. */
    public void forgetAll() {
        cache.invalidateAll();
    }
}
