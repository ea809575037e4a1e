package dev.latchkey.bench;

import dev.latchkey.server.ratelimit.BucketClock;
import dev.latchkey.server.ratelimit.LocalBuckets;
import dev.latchkey.server.ratelimit.Quota;
import dev.latchkey.server.ratelimit.RateLimit;
import dev.latchkey.server.ratelimit.RateLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the rate limits add to a client-credentials token on one node, without HTTP: the peek at the caller's
 * address bucket and the take from the client's bucket, both threads on the same two keys (one client from one
 * address, the benchmark's case). Compare with the ~350 µs of server CPU a token costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
@State(Scope.Benchmark)
public class RateLimitBenchmark {

    private final BucketClock clock = new BucketClock(Clock.systemUTC());
    private final LocalBuckets addresses = new LocalBuckets(RateLimits.DEFAULTS.address(), clock);
    // Refilled faster than two threads can take, so every take is allowed, as for the benchmarked client.
    private final LocalBuckets clients = new LocalBuckets(
            new RateLimit(1_000_000_000L, 1_000_000_000L, Duration.ofSeconds(1)), clock);

    @Benchmark
    public Quota tokenRequest() {
        addresses.peek("203.0.113.7");
        return clients.take("bench-client-0000000000000000001");
    }
}
