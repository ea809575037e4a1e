package dev.latchkey.server.http;

import dev.latchkey.server.ratelimit.Buckets;
import dev.latchkey.server.ratelimit.Quota;
import dev.latchkey.server.ratelimit.RateLimitedException;
import io.javalin.http.Context;

/**
 * The limit of a caller that proved who it is (a client with its secret, a Management API token): its own
 * bucket is charged instead of its address's, and its answer carries that bucket's headers.
 */
public final class CallerLimit {

    private final Buckets buckets;
    private final String refusal;

    public CallerLimit(Buckets buckets, String refusal) {
        this.buckets = buckets;
        this.refusal = refusal;
    }

    /** Takes a token from {@code caller}'s bucket, or refuses the request with 429. */
    public void charge(Context ctx, String caller) {
        Quota quota = buckets.take(caller);
        AddressLimit.vouched(ctx);
        if (!quota.allowed()) {
            throw new RateLimitedException(quota, refusal);
        }
        RateLimitHeaders.write(ctx, quota);
    }
}
