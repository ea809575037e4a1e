package dev.latchkey.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.server.keys.SecretHash;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;

import java.time.Duration;

/**
 * Buckets every node of a cluster shares, like {@link SharedBuckets}, but spent in this node's memory and written
 * to the database in batches, so that the calls made with one key neither wait for a database round trip each
 * nor queue behind each other's locked row. For limits that may be approximate: the Management API's per token.
 * <p>
 * Each node keeps a copy of the key's shared bucket and spends from it; it takes what it spent from the shared
 * bucket (one transaction, which also brings the copy up to date) as soon as more than {@link #unsynchronized}
 * tokens are spent and not yet taken, or {@link #SYNC_EVERY} after the last sync, whichever comes first (Bucket4j's
 * delaying optimization; calls arriving during a sync are batched into it). So each node may spend at most
 * {@code unsynchronized} tokens the others do not know of yet: a cluster of {@code n} nodes lets through at most
 * {@code n × unsynchronized} calls more than the limit, {@link #UNSYNCHRONIZED_SHARE} (2%) of the burst per
 * node. Below a burst of 50 nothing is left unsynchronized: every take is a transaction, as in
 * {@link SharedBuckets}, and the limit exact. A copy idle long enough to have refilled is dropped (its
 * unsynchronized tokens with it, at most the same 2%), and at most {@link LocalBuckets#MAX_KEYS} are kept.
 */
public final class SyncedBuckets implements Buckets {

    /** The share of the burst one node may spend before it tells the others. */
    static final double UNSYNCHRONIZED_SHARE = 0.02;
    static final Duration SYNC_EVERY = Duration.ofMillis(250);

    private final RateLimit limit;
    private final BucketConfiguration configuration;
    private final ProxyManager<String> proxies;
    private final BucketClock clock;
    private final String family;
    private final long unsynchronized;
    private final Cache<String, BucketProxy> copies;

    /** {@code family} keeps this limit's keys apart from another limit's in the same table. */
    public SyncedBuckets(String family, RateLimit limit, ProxyManager<String> proxies, BucketClock clock) {
        this.family = family;
        this.limit = limit;
        this.configuration = limit.configuration();
        this.proxies = proxies;
        this.clock = clock;
        this.unsynchronized = unsynchronized(limit);
        this.copies = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofNanos(limit.nanosUntilFull(0)).plusSeconds(1))
                .maximumSize(LocalBuckets.MAX_KEYS)
                .build();
    }

    /** How many tokens one node may spend before it syncs: 2% of the burst, rounded down. */
    static long unsynchronized(RateLimit limit) {
        return (long) Math.floor(limit.burst() * UNSYNCHRONIZED_SHARE);
    }

    /** The key is stored as its SHA-256 (a fixed length whatever the key), hashed once per copy. */
    @Override
    public Quota take(String key) {
        BucketProxy bucket = copies.get(key, k -> copy(idOf(k)));
        ConsumptionProbe probe;
        try {
            probe = bucket.tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            // The sweeper removed the row (its bucket was full again) under a copy whose batched commands do not
            // rebuild it, as a plain proxy does: every call of the batch failed (Bucket4j wraps the
            // BucketNotFoundException for the calls that waited on it), a few 500s about once a minute under
            // load. The copy is dropped, and this take rebuilds the row.
            if (!bucketNotFound(e)) {
                throw e;
            }
            copies.invalidate(key);
            probe = proxies.builder().build(idOf(key), () -> configuration).tryConsumeAndReturnRemaining(1);
        }
        return Quotas.of(limit, probe, clock.currentTimeNanos());
    }

    private static boolean bucketNotFound(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private String idOf(String key) {
        return family + ":" + SecretHash.of(key);
    }

    private BucketProxy copy(String id) {
        if (unsynchronized == 0) {
            return proxies.builder().build(id, () -> configuration);
        }
        // Bucket4j's own delaying() times the sync by the system clock; the buckets' clock keeps one time for both
        // (and lets a test stop it: with the system clock, a slow moment added a sync at a random take).
        Optimization delaying = new DelayOptimization(new DelayParameters(unsynchronized, SYNC_EVERY),
                NopeOptimizationListener.INSTANCE, clock);
        return proxies.builder().withOptimization(delaying).build(id, () -> configuration);
    }
}
