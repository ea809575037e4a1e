package dev.latchkey.server.store;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import java.time.Duration;
import java.time.Instant;

/**
 * The token buckets the nodes of a cluster share, in {@code rate_limit_buckets} (V9), through Bucket4j's
 * PostgreSQL proxy manager: one transaction per take, the row locked ({@code SELECT ... FOR UPDATE}) so that
 * takes on several nodes at once never spend a token twice. A row whose bucket is full again is expired.
 */
public final class PostgresRateLimitBuckets implements ExpiringRows {

    /** Kept a little past full, so a take racing the sweeper still finds its row. */
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;

    public PostgresRateLimitBuckets(Database database, TimeMeter clock) {
        this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database.dataSource())
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                .clientClock(clock)
                .build();
    }

    public ProxyManager<String> proxies() {
        return proxies;
    }

    @Override
    public int deleteExpired(Instant now, int batch) {
        return proxies.removeExpired(batch);
    }
}
