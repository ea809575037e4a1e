package dev.latchkey.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;

/**
 * Slows down guessing one client's secret: failed client authentications spend the {@code client_id}'s bucket,
 * shared by every node, and once it is spent the client_id is refused (429) before any secret is checked, on
 * every node, until a token comes back. Other clients are not touched.
 *
 * <p>Only failures reach the shared bucket, so a client that authenticates never waits on it. A node learns
 * that a bucket is spent from its own next failure for that client_id, and then refuses locally without asking
 * again: across N nodes an attacker gets at most N more checked guesses per refill than on one.
 *
 * <p>The same throttle, keyed by network, slows down guessing device user codes at {@code /activate}.
 */
public final class ClientFailureThrottle {

    private static final String REFUSED = "Too many failed authentications for this client; retry later";

    private final Buckets failures;
    private final RateLimit limit;
    private final String refusal;
    private final BucketClock clock;
    /** client_id → the refusal to repeat until its bucket has a token again. */
    private final Cache<String, Refusal> refused;

    public ClientFailureThrottle(Buckets failures, RateLimit limit, BucketClock clock) {
        this(failures, limit, clock, REFUSED);
    }

    /** A throttle whose refusals say {@code refusal}. */
    public ClientFailureThrottle(Buckets failures, RateLimit limit, BucketClock clock, String refusal) {
        this.refusal = refusal;
        this.failures = failures;
        this.limit = limit;
        this.clock = clock;
        this.refused = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofNanos(limit.nanosPerToken()).plusSeconds(1))
                .maximumSize(LocalBuckets.MAX_KEYS)
                .build();
    }

    /** Refuses a client_id whose failures are spent; called before its secret is checked. */
    public void admit(String clientId) {
        Refusal refusal = refused.getIfPresent(clientId);
        if (refusal == null) {
            return;
        }
        long now = clock.currentTimeNanos();
        if (now >= refusal.untilNanos()) {
            refused.invalidate(clientId);
            return;
        }
        long wait = Math.max(1, (refusal.untilNanos() - now + 999_999_999L) / 1_000_000_000L);
        throw new RateLimitedException(new Quota(false, refusal.quota().limit(), 0, refusal.quota().resetEpochSecond(),
                wait), this.refusal);
    }

    /** Records a failed authentication; refuses it too when the client_id's failures were already spent. */
    public void failed(String clientId) {
        Quota quota = failures.take(clientId);
        long now = clock.currentTimeNanos();
        if (!quota.allowed()) {
            refused.put(clientId, new Refusal(quota, now + quota.retryAfterSeconds() * 1_000_000_000L));
            throw new RateLimitedException(quota, refusal);
        }
        if (quota.remaining() == 0) {
            refused.put(clientId, new Refusal(quota, now + limit.nanosPerToken()));
        }
    }

    private record Refusal(Quota quota, long untilNanos) {
    }
}
