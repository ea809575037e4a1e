package dev.latchkey.server.store;

import dev.latchkey.server.token.NewRefreshToken;
import dev.latchkey.server.token.RefreshToken;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One-step refresh-token exchanges on PostgreSQL, several to a statement: what arrives while a statement
 * runs goes into the next one, so under load many exchanges share one round trip and one commit, and a
 * lone exchange waits for nothing. Each row of the statement is decided on its own, exactly as
 * {@link JdbcRefreshTokenStore#exchange} describes; when two exchanges of one token meet in a statement,
 * one wins and the other finds the token exchanged, as if they had come one after the other. The rows
 * are found through the unique index on {@code token_hash} ({@code = ANY} of the batch's digests): joined
 * to the batch alone, the planner, which guesses 100 rows for any {@code unnest}, would scan the table.
 */
final class BatchedRefreshExchanges implements AutoCloseable {

    /** At most this many exchanges go into one statement. */
    static final int MAX_BATCH = 64;
    /** Two statements may run at once: one fills while the other commits. */
    private static final int WRITERS = 2;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static final String SQL = """
            WITH input AS (
                SELECT * FROM unnest(CAST(:token_hash AS VARCHAR[]), CAST(:client_id AS VARCHAR[]),
                    CAST(:now AS BIGINT[]), CAST(:reuse_memory AS BIGINT[]), CAST(:successor_id AS VARCHAR[]),
                    CAST(:successor_hash AS VARCHAR[]), CAST(:successor_rotating AS BOOLEAN[]),
                    CAST(:successor_idle AS BIGINT[]), CAST(:successor_kept_idle AS BIGINT[]))
                AS i(token_hash, client_id, now, reuse_memory, successor_id, successor_hash, successor_rotating,
                     successor_idle, successor_kept_idle)
            ), exchanged AS (
                UPDATE refresh_tokens r SET rotated_at = i.now, last_used_at = i.now,
                    expires_at = CASE WHEN r.expires_at = :never THEN i.reuse_memory
                        ELSE GREATEST(r.expires_at, LEAST(COALESCE(r.absolute_expires_at, i.reuse_memory),
                            i.reuse_memory)) END
                FROM input i
                WHERE r.token_hash = ANY(CAST(:token_hash AS VARCHAR[]))
                    AND r.token_hash = i.token_hash AND r.client_id = i.client_id AND r.rotated_at IS NULL
                    AND r.rotating
                    AND (r.idle_expires_at IS NULL OR r.idle_expires_at > i.now)
                    AND (r.absolute_expires_at IS NULL OR r.absolute_expires_at > i.now)
                RETURNING r.*, i.now AS successor_created_at, i.successor_id, i.successor_hash, i.successor_rotating,
                    i.successor_idle, i.successor_kept_idle
            ), successor AS (
                INSERT INTO refresh_tokens (id, token_hash, family_id, authorization_id, client_id, user_id, audience,
                    scope, sid, rotating, created_at, idle_expires_at, absolute_expires_at, expires_at)
                SELECT successor_id, successor_hash, family_id, authorization_id, client_id, user_id, audience, scope,
                    sid, successor_rotating, successor_created_at, successor_idle, absolute_expires_at,
                    COALESCE(LEAST(successor_kept_idle, absolute_expires_at), :never)
                FROM exchanged
            )
            SELECT * FROM exchanged""";

    /** One exchange waiting for its statement. */
    record Pending(String tokenHash, String clientId, Instant now, Instant reuseMemoryUntil,
                   NewRefreshToken successor, CompletableFuture<Optional<RefreshToken>> result) {
    }

    private final Jdbi jdbi;
    private final RowMapper<RefreshToken> mapper;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    BatchedRefreshExchanges(Jdbi jdbi, RowMapper<RefreshToken> mapper) {
        this.jdbi = jdbi;
        this.mapper = mapper;
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::write, "refresh-exchanges-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    Optional<RefreshToken> exchange(String tokenHash, String clientId, Instant now, Instant reuseMemoryUntil,
                                    NewRefreshToken successor) {
        if (closed) {
            throw new StoreUnavailableException("The server is stopping", null);
        }
        Pending pending = new Pending(tokenHash, clientId, now, reuseMemoryUntil, successor, new CompletableFuture<>());
        queue.add(pending);
        try {
            return pending.result().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new StoreUnavailableException("A refresh-token exchange failed", e.getCause());
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("A refresh-token exchange waited " + WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("Interrupted while exchanging a refresh token", e);
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                complete(batch, run(batch));
            } catch (RuntimeException e) {
                batch.forEach(pending -> pending.result().completeExceptionally(e));
            }
            batch.clear();
        }
        StoreUnavailableException stopping = new StoreUnavailableException("The server is stopping", null);
        queue.forEach(pending -> pending.result().completeExceptionally(stopping));
    }

    /** The exchanged tokens of the batch, by the id of the successor stored for each. */
    private Map<String, RefreshToken> run(List<Pending> batch) {
        int n = batch.size();
        String[] hashes = new String[n];
        String[] clients = new String[n];
        Long[] nows = new Long[n];
        Long[] memories = new Long[n];
        String[] successorIds = new String[n];
        String[] successorHashes = new String[n];
        Boolean[] rotating = new Boolean[n];
        Long[] idle = new Long[n];
        Long[] keptIdle = new Long[n];
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            NewRefreshToken successor = p.successor();
            hashes[i] = p.tokenHash();
            clients[i] = p.clientId();
            nows[i] = Times.millis(p.now());
            memories[i] = Times.millis(p.reuseMemoryUntil());
            successorIds[i] = successor.id();
            successorHashes[i] = successor.tokenHash();
            rotating[i] = successor.rotating();
            idle[i] = successor.idleExpiresAt() == null ? null : Times.millis(successor.idleExpiresAt());
            keptIdle[i] = JdbcRefreshTokenStore.keptIdle(successor);
        }
        return jdbi.withHandle(h -> {
            Map<String, RefreshToken> exchanged = new HashMap<>();
            h.createQuery(SQL)
                    .bindArray("token_hash", String.class, (Object[]) hashes)
                    .bindArray("client_id", String.class, (Object[]) clients)
                    .bindArray("now", Long.class, (Object[]) nows)
                    .bindArray("reuse_memory", Long.class, (Object[]) memories)
                    .bindArray("successor_id", String.class, (Object[]) successorIds)
                    .bindArray("successor_hash", String.class, (Object[]) successorHashes)
                    .bindArray("successor_rotating", Boolean.class, (Object[]) rotating)
                    .bindArray("successor_idle", Long.class, (Object[]) idle)
                    .bindArray("successor_kept_idle", Long.class, (Object[]) keptIdle)
                    .bind("never", Times.millis(RefreshToken.NEVER))
                    .map((rs, ctx) -> Map.entry(rs.getString("successor_id"), mapper.map(rs, ctx)))
                    .forEach(entry -> exchanged.put(entry.getKey(), entry.getValue()));
            return exchanged;
        });
    }

    private static void complete(List<Pending> batch, Map<String, RefreshToken> exchanged) {
        for (Pending pending : batch) {
            pending.result().complete(Optional.ofNullable(exchanged.get(pending.successor().id())));
        }
    }

    @Override
    public void close() {
        closed = true;
        writers.forEach(Thread::interrupt);
    }
}
