package dev.latchkey.server.ratelimit;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;

/** The server's clock as Bucket4j's time source, so that buckets refill in the time tests move. */
public final class BucketClock implements TimeMeter {

    private final Clock clock;

    public BucketClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        var now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    Clock clock() {
        return clock;
    }
}
