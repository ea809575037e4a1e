package dev.latchkey.server.ratelimit;

import dev.latchkey.server.keys.SecretHash;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;

/**
 * Buckets every node of a cluster shares, kept in the database by a Bucket4j proxy manager: each
 * {@link #take} is one round trip (a locked read and a write). Used only where a request is already slow or
 * rare: failed client authentications, never the success path of a token (the Management API's per-token
 * limit uses {@link SyncedBuckets}, which batches these round trips).
 */
public final class SharedBuckets implements Buckets {

    private final RateLimit limit;
    private final BucketConfiguration configuration;
    private final ProxyManager<String> proxies;
    private final BucketClock clock;
    private final String family;

    /** {@code family} keeps this limit's keys apart from another limit's in the same table. */
    public SharedBuckets(String family, RateLimit limit, ProxyManager<String> proxies, BucketClock clock) {
        this.family = family;
        this.limit = limit;
        this.configuration = limit.configuration();
        this.proxies = proxies;
        this.clock = clock;
    }

    /** The key is stored as its SHA-256: a fixed length whatever a caller sends as its client_id. */
    @Override
    public Quota take(String key) {
        var probe = proxies.builder().build(family + ":" + SecretHash.of(key), () -> configuration)
                .tryConsumeAndReturnRemaining(1);
        return Quotas.of(limit, probe, clock.currentTimeNanos());
    }
}
