package dev.latchkey.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/**
 * Buckets in this node's memory: a lock-free Bucket4j bucket per key, a few microseconds a request. A bucket
 * idle long enough to have refilled is dropped (a new one is the same), and the number kept is bounded, so a
 * flood from many addresses cannot fill the heap.
 */
public final class LocalBuckets implements Buckets {

    static final long MAX_KEYS = 200_000;

    private final RateLimit limit;
    private final Bandwidth bandwidth;
    private final BucketClock clock;
    private final Cache<String, Bucket> buckets;

    public LocalBuckets(RateLimit limit, BucketClock clock) {
        this.limit = limit;
        this.bandwidth = limit.bandwidth();
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofNanos(limit.nanosUntilFull(0)).plusSeconds(1))
                .maximumSize(MAX_KEYS)
                .build();
    }

    @Override
    public Quota take(String key) {
        return Quotas.of(limit, bucket(key).tryConsumeAndReturnRemaining(1), clock.currentTimeNanos());
    }

    /** What the key's bucket holds, without taking anything. */
    public Quota peek(String key) {
        return Quotas.peek(limit, bucket(key).getAvailableTokens(), clock.currentTimeNanos());
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> Bucket.builder().withCustomTimePrecision(clock).addLimit(bandwidth).build());
    }
}
