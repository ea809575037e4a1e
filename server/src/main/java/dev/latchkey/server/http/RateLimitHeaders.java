package dev.latchkey.server.http;

import dev.latchkey.server.ratelimit.Quota;
import io.javalin.http.Context;

/**
 * Auth0's rate-limit headers, on every answer of both APIs: the bucket's size, what is left, and when it is
 * full again as a UNIX timestamp in seconds; on a 429, {@code Retry-After} in seconds (RFC 9110 §10.2.3).
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    public static void write(Context ctx, Quota quota) {
        ctx.header("x-ratelimit-limit", Long.toString(quota.limit()));
        ctx.header("x-ratelimit-remaining", Long.toString(quota.remaining()));
        ctx.header("x-ratelimit-reset", Long.toString(quota.resetEpochSecond()));
        if (!quota.allowed()) {
            ctx.header("Retry-After", Long.toString(quota.retryAfterSeconds()));
        }
    }
}
