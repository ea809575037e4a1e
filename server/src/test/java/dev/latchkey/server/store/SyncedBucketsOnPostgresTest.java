package dev.latchkey.server.store;

import dev.latchkey.server.ratelimit.BucketClock;
import dev.latchkey.server.ratelimit.RateLimit;
import dev.latchkey.server.ratelimit.SyncedBuckets;
import dev.latchkey.server.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Management API's per-token limit (Auth0: per token) spent in each node's memory and synced in batches:
 * two nodes together let through the burst and at most 2% of it more per node, then refuse on both.
 */
class SyncedBucketsOnPostgresTest {

    /** No refill while the test runs: the clock stands still. */
    private static final BucketClock CLOCK = new BucketClock(Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"),
            ZoneOffset.UTC));

    @Test
    void twoNodesSpendOneBucketWithinTwoPercentOfTheBurstEach() {
        PostgresSchema.requireReachable();
        try (PostgresSchema schema = PostgresSchema.create();
             Database first = Database.open(schema.url(), PostgresSchema.USER, null);
             Database second = Database.open(schema.url(), PostgresSchema.USER, null)) {
            RateLimit limit = RateLimit.parse("test", "500,1/h");
            SyncedBuckets a = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(first, CLOCK).proxies(), CLOCK);
            SyncedBuckets b = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(second, CLOCK).proxies(), CLOCK);

            int allowed = 0;
            for (int i = 0; i < 1000; i++) {
                if ((i % 2 == 0 ? a : b).take("token").allowed()) {
                    allowed++;
                }
            }

            assertThat(allowed).isBetween(500, 500 + 2 * 10);
            assertThat(a.take("token").allowed()).isFalse();
            assertThat(b.take("token").allowed()).isFalse();
            // Another key has its own bucket.
            assertThat(b.take("another token").allowed()).isTrue();
        }
    }

    @Test
    void underABurstOfFiftyEveryTakeIsSyncedAndTheLimitExact() {
        PostgresSchema.requireReachable();
        try (PostgresSchema schema = PostgresSchema.create();
             Database first = Database.open(schema.url(), PostgresSchema.USER, null);
             Database second = Database.open(schema.url(), PostgresSchema.USER, null)) {
            RateLimit limit = RateLimit.parse("test", "5,1/h");
            SyncedBuckets a = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(first, CLOCK).proxies(), CLOCK);
            SyncedBuckets b = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(second, CLOCK).proxies(), CLOCK);

            int allowed = 0;
            for (int i = 0; i < 20; i++) {
                if ((i % 2 == 0 ? a : b).take("token").allowed()) {
                    allowed++;
                }
            }

            assertThat(allowed).isEqualTo(5);
        }
    }

    @Test
    void aNodeSyncsWhenTheBucketsClockSaysSoNotTheSystemClock() {
        PostgresSchema.requireReachable();
        try (PostgresSchema schema = PostgresSchema.create();
             Database first = Database.open(schema.url(), PostgresSchema.USER, null);
             Database second = Database.open(schema.url(), PostgresSchema.USER, null)) {
            MovableClock time = new MovableClock(Instant.parse("2026-12-07T08:00:00Z"));
            BucketClock clock = new BucketClock(time);
            RateLimit limit = RateLimit.parse("test", "500,1/h");
            SyncedBuckets a = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(first, clock).proxies(), clock);
            SyncedBuckets b = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(second, clock).proxies(), clock);

            for (int i = 0; i < 5; i++) {
                assertThat(a.take("token").allowed()).isTrue(); // the first synced, four kept in a's memory
            }
            // More than SYNC_EVERY later on the buckets' clock (at once on the system's): a's next take syncs.
            time.advance(Duration.ofMillis(300));
            assertThat(a.take("token").allowed()).isTrue();

            // b's first take is a sync of its own: it sees all six of a's, and takes one more.
            assertThat(b.take("token").remaining()).isEqualTo(500 - 7);
        }
    }

    @Test
    void callsBatchedWhileTheSweeperDeletesTheRowAreAnsweredNotFailed() throws InterruptedException {
        PostgresSchema.requireReachable();
        try (PostgresSchema schema = PostgresSchema.create();
             Database database = Database.open(schema.url(), PostgresSchema.USER, null)) {
            RateLimit limit = RateLimit.parse("test", "1000000,1000000/s");
            // Time runs here: the copy syncs every 250 ms as in a server.
            BucketClock running = new BucketClock(Clock.systemUTC());
            SyncedBuckets buckets = new SyncedBuckets("management-token", limit,
                    new PostgresRateLimitBuckets(database, running).proxies(), running);
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var threads = new java.util.ArrayList<Thread>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    while (!done.get()) {
                        try {
                            buckets.take("token");
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            // The sweeper, again and again, under calls that Bucket4j batches into one command per sync.
            long until = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until && failures.isEmpty()) {
                database.jdbi().useHandle(h -> h.execute("DELETE FROM rate_limit_buckets"));
            }
            done.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
        }
    }
}
