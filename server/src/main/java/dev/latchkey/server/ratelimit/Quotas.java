package dev.latchkey.server.ratelimit;

import io.github.bucket4j.ConsumptionProbe;

/** Turns what Bucket4j answers into a {@link Quota}. */
final class Quotas {

    private Quotas() {
    }

    static Quota of(RateLimit limit, ConsumptionProbe probe, long nowNanos) {
        long remaining = probe.getRemainingTokens();
        long reset = secondsUp(nowNanos + limit.nanosUntilFull(remaining));
        if (probe.isConsumed()) {
            return new Quota(true, limit.burst(), remaining, reset, 0);
        }
        return new Quota(false, limit.burst(), 0, reset, Math.max(1, secondsUp(probe.getNanosToWaitForRefill())));
    }

    static Quota peek(RateLimit limit, long availableTokens, long nowNanos) {
        long remaining = Math.max(0, availableTokens);
        long reset = secondsUp(nowNanos + limit.nanosUntilFull(remaining));
        if (remaining > 0) {
            return new Quota(true, limit.burst(), remaining, reset, 0);
        }
        return new Quota(false, limit.burst(), 0, reset, Math.max(1, secondsUp(limit.nanosPerToken())));
    }

    private static long secondsUp(long nanos) {
        return Math.floorDiv(nanos + 999_999_999L, 1_000_000_000L);
    }
}
