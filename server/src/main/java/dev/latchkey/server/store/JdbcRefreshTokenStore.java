package dev.latchkey.server.store;

import dev.latchkey.server.token.NewRefreshToken;
import dev.latchkey.server.token.PresentedRefreshToken;
import dev.latchkey.server.token.RefreshToken;
import dev.latchkey.server.token.RefreshTokenStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcRefreshTokenStore implements RefreshTokenStore {

    /** Every column of a token, in the order of {@link #MAPPER}: the reads name them rather than {@code *}. */
    private static final String ROW = """
            id, token_hash, family_id, authorization_id, client_id, user_id, audience, scope, sid, rotating, created_at,
            last_used_at, rotated_at, idle_expires_at, absolute_expires_at, expires_at, current_hash, previous_hash, generation""";
    /** Reads {@link #ROW} by position: a look-up by name costs a map look-up per column on the exchange's path. */
    private static final RowMapper<RefreshToken> MAPPER = (rs, ctx) -> new RefreshToken(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            scopes(rs.getString(8)),
            rs.getString(9),
            rs.getBoolean(10),
            Times.instant(rs.getLong(11)),
            nullableInstant(rs, 12),
            nullableInstant(rs, 13),
            nullableInstant(rs, 14),
            nullableInstant(rs, 15),
            Times.instant(rs.getLong(16)),
            rs.getString(17),
            rs.getString(18),
            nullableInt(rs, 19));

    /** The token's columns, for the statements that copy a family's fields into a successor. */
    private static final String COLUMNS = """
            id, token_hash, family_id, authorization_id, client_id, user_id, audience, scope, sid, rotating,
            created_at, idle_expires_at, absolute_expires_at, expires_at, current_hash, generation""";
    /** What the one-step exchange may take: a row-form token, rotating, not yet exchanged, within both lifetimes. */
    private static final String EXCHANGEABLE = """
            token_hash = :token_hash AND current_hash IS NULL AND client_id = :client_id AND rotated_at IS NULL
            AND rotating AND (idle_expires_at IS NULL OR idle_expires_at > :now)
            AND (absolute_expires_at IS NULL OR absolute_expires_at > :now)""";
    /**
     * Marks a token exchanged. Its row is kept for reuse detection at least until {@code :reuse_memory}
     * (within its absolute lifetime), which the expiry it was stored with already covers unless it never
     * expires: then {@code expires_at}, an indexed column, keeps its value and PostgreSQL can update the
     * row in place (a heap-only tuple, no index entries).
     */
    private static final String MARK_EXCHANGED = """
            rotated_at = :now, last_used_at = :now, expires_at = CASE WHEN expires_at = :never THEN :reuse_memory
                ELSE GREATEST(expires_at, LEAST(COALESCE(absolute_expires_at, :reuse_memory), :reuse_memory)) END""";

    /** Set to {@code durable} (on the database or role) to make each exchange's commit wait for the disk. */
    static final String DURABLE_SETTING = "latchkey.refresh_commit";
    /** The exchanges' first CTE: their transaction's commit does not wait for the disk unless told durable. */
    private static final String COMMIT_MODE = "WITH commit_mode AS (SELECT set_config('synchronous_commit', CASE WHEN"
            + " current_setting('" + DURABLE_SETTING + "', true) = 'durable' THEN current_setting('synchronous_commit')"
            + " ELSE 'off' END, true))";
    /**
     * PostgreSQL's exchange, one round trip and one commit (see {@link #exchangeInOneStatement}). The conditional
     * UPDATE decides the single winner: a concurrent exchange waits for the row lock, then finds the row
     * exchanged and matches nothing.
     * <p>
     * Its commit does not wait for the WAL to reach the disk ({@code synchronous_commit} off for this transaction
     * alone, as {@code SET LOCAL} would; {@link #DURABLE_SETTING} keeps it waiting). Only a crash of PostgreSQL
     * itself (not a clean stop, not a crash of Latchkey) can lose what committed in its last moments (at most
     * three times {@code wal_writer_delay}, 0.6 s by default): the
     * client then holds a successor that is unknown and logs in again, and the token it presented is
     * exchangeable once more. Nothing is ever issued that was not already granted, and the single winner and
     * reuse detection hold for every exchange that survived. It saves a third of a refresh's database time.
     */
    static final NamedStatement EXCHANGE = NamedStatement.of(
            COMMIT_MODE + ", exchanged AS (UPDATE refresh_tokens SET " + MARK_EXCHANGED + " WHERE " + EXCHANGEABLE
            + " RETURNING *), successor AS (INSERT INTO refresh_tokens (" + COLUMNS + """
            ) SELECT :successor_id, :successor_hash, family_id, authorization_id, client_id, user_id,
                audience, scope, sid, :successor_rotating, :now, CAST(:successor_idle AS BIGINT),
                absolute_expires_at,
                COALESCE(LEAST(CAST(:successor_kept_idle AS BIGINT), absolute_expires_at), :never),
                CAST(:successor_current AS VARCHAR), CAST(:successor_generation AS INTEGER)
            FROM exchanged)
            SELECT\s""" + ROW + " FROM exchanged CROSS JOIN commit_mode");

    /** What an in-place exchange may take: the family's live token, rotating, within both lifetimes. */
    private static final String EXCHANGEABLE_IN_PLACE = """
            token_hash = :token_hash AND current_hash = :secret_hash AND client_id = :client_id AND rotated_at IS NULL
            AND rotating AND (idle_expires_at IS NULL OR idle_expires_at > :now)
            AND (absolute_expires_at IS NULL OR absolute_expires_at > :now)""";
    /**
     * A family-form exchange: the successor's secret replaces the live one, which becomes the previous one. The
     * row is kept, as the row form keeps an exchanged token, at least {@link RefreshToken#REUSE_MEMORY} beyond the
     * live token's idle expiry (within the absolute one), so that a reuse after the family's last exchange is still
     * recognised. No indexed column changes unless {@code expires_at} falls short of that: it is then moved twice
     * that far, so that PostgreSQL updates the row in place (a heap-only tuple, no index entry) at almost every
     * exchange. (H2's LEAST is null when any argument is: no argument here is.)
     */
    private static final String REPLACE_IN_PLACE = """
            previous_hash = current_hash, current_hash = :successor_current, generation = generation + 1,
            last_used_at = :now,
            rotating = :successor_rotating, idle_expires_at = CAST(:successor_idle AS BIGINT),
            expires_at = CASE
                WHEN expires_at >= LEAST(COALESCE(CAST(:successor_kept_idle AS BIGINT), :never),
                    COALESCE(absolute_expires_at, :never)) THEN expires_at
                ELSE LEAST(COALESCE(CAST(:successor_kept_twice AS BIGINT), :never),
                    COALESCE(absolute_expires_at, :never)) END""";
    /**
     * PostgreSQL's in-place exchange: one round trip, one commit, committed as {@link #EXCHANGE} is. If a crash of
     * PostgreSQL loses the commit, the client holds a token of a generation the row has not reached: unknown
     * (FamilySecrets), so it logs in again, as with a lost row-form successor, and no reuse is reported.
     */
    static final NamedStatement EXCHANGE_IN_PLACE = NamedStatement.of(
            COMMIT_MODE + ", exchanged AS (UPDATE refresh_tokens SET " + REPLACE_IN_PLACE + " WHERE "
            + EXCHANGEABLE_IN_PLACE + " RETURNING *) SELECT " + ROW + " FROM exchanged CROSS JOIN commit_mode");

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final boolean postgres;

    public JdbcRefreshTokenStore(Database database) {
        this.jdbi = database.jdbi();
        this.dataSource = database.dataSource();
        this.postgres = DatabaseKind.postgres(jdbi);
    }

    @Override
    public void create(RefreshToken t, int maxFamilies) {
        jdbi.useTransaction(h -> {
            insert(h, t);
            if (t.id().equals(t.familyId())) {
                // A new family: the user's families for this client beyond the newest maxFamilies go.
                List<String> oldest = h.createQuery("""
                                SELECT family_id FROM refresh_tokens
                                WHERE user_id = :user_id AND client_id = :client_id AND rotated_at IS NULL
                                ORDER BY COALESCE(last_used_at, created_at) DESC, id DESC OFFSET :keep ROWS""")
                        .bind("user_id", t.userId()).bind("client_id", t.clientId()).bind("keep", maxFamilies)
                        .mapTo(String.class).list();
                for (String family : oldest) {
                    h.createUpdate("DELETE FROM refresh_tokens WHERE family_id = :family_id")
                            .bind("family_id", family).execute();
                }
            }
        });
    }

    private static void insert(Handle h, RefreshToken t) {
        h.createUpdate("INSERT INTO refresh_tokens (" + COLUMNS + """
                        ) VALUES (:id, :token_hash, :family_id, :authorization_id, :client_id, :user_id, :audience,
                            :scope, :sid, :rotating, :created_at, :idle_expires_at, :absolute_expires_at, :expires_at,
                            :current_hash, :generation)""")
                .bind("id", t.id())
                .bind("token_hash", t.tokenHash())
                .bind("family_id", t.familyId())
                .bind("authorization_id", t.authorizationId())
                .bind("client_id", t.clientId())
                .bind("user_id", t.userId())
                .bind("audience", t.audience())
                .bind("scope", String.join(" ", t.scopes()))
                .bind("sid", t.sid())
                .bind("rotating", t.rotating())
                .bind("created_at", Times.millis(t.createdAt()))
                .bind("idle_expires_at", t.idleExpiresAt() == null ? null : Times.millis(t.idleExpiresAt()))
                .bind("absolute_expires_at",
                        t.absoluteExpiresAt() == null ? null : Times.millis(t.absoluteExpiresAt()))
                .bind("expires_at", Times.millis(t.expiresAt()))
                .bind("current_hash", t.currentHash())
                .bind("generation", t.generation())
                .execute();
    }

    @Override
    public Optional<RefreshToken> find(String tokenHash) {
        return jdbi.withHandle(h -> byHash(h, tokenHash));
    }

    @Override
    public Optional<RefreshToken> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + ROW + " FROM refresh_tokens WHERE id = :id")
                .bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Exchange rotate(RefreshToken presented, Instant now, int leewaySeconds, Instant reuseMemoryUntil) {
        return jdbi.inTransaction(h -> {
            // One conditional UPDATE decides the single winner, whatever the number of nodes.
            int first = h.createUpdate("UPDATE refresh_tokens SET " + MARK_EXCHANGED
                            + " WHERE token_hash = :token_hash AND current_hash IS NULL AND rotated_at IS NULL")
                    .bind("now", Times.millis(now)).bind("reuse_memory", Times.millis(reuseMemoryUntil))
                    .bind("never", Times.millis(RefreshToken.NEVER))
                    .bind("token_hash", presented.tokenHash()).execute();
            if (first == 1) {
                // The winner's row is what was presented, now marked: no second read.
                return new Exchange.First(presented);
            }
            RefreshToken token = byHash(h, presented.tokenHash()).orElse(presented);
            boolean recent = leewaySeconds > 0 && token.rotatedAt() != null
                    && now.isBefore(token.rotatedAt().plusSeconds(leewaySeconds));
            if (recent) {
                // Auth0 §4.2: only the family's previous token, not an older one, may be used again. A later
                // exchange may also be one in place, of the family-form row that succeeded this token.
                long later = h.createQuery("""
                                SELECT COUNT(*) FROM refresh_tokens
                                WHERE family_id = :family_id AND (rotated_at > :rotated_at
                                    OR (generation > 0 AND last_used_at > :rotated_at))""")
                        .bind("family_id", token.familyId()).bind("rotated_at", Times.millis(token.rotatedAt()))
                        .mapTo(Long.class).one();
                if (later == 0) {
                    return new Exchange.WithinLeeway(token);
                }
            }
            return new Exchange.Reused(token);
        });
    }

    @Override
    public Optional<RefreshToken> exchange(String tokenHash, String clientId, Instant now, Instant reuseMemoryUntil,
                                           NewRefreshToken successor) {
        return postgres
                ? exchangeInOneStatement(tokenHash, clientId, now, reuseMemoryUntil, successor)
                : exchangeInOneTransaction(tokenHash, clientId, now, reuseMemoryUntil, successor);
    }

    /**
     * PostgreSQL: {@link #EXCHANGE}, through plain JDBC. This is the refresh grant's one database call, and JDBI's
     * own work per call (a handle, an argument factory per value) cost about as much as the round trip's.
     */
    private Optional<RefreshToken> exchangeInOneStatement(String tokenHash, String clientId, Instant now,
                                                          Instant reuseMemoryUntil, NewRefreshToken successor) {
        return oneRow(EXCHANGE, exchangeParameters(tokenHash, clientId, now, reuseMemoryUntil, successor));
    }

    /** Runs an exchange statement through plain JDBC: the token row it answers, if any. */
    private Optional<RefreshToken> oneRow(NamedStatement exchange, Map<String, Object> parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = exchange.prepare(connection, parameters);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(MAPPER.map(row, null)) : Optional.empty();
        } catch (SQLException e) {
            throw new StatementFailedException("The refresh token exchange failed", e);
        }
    }

    @Override
    public Optional<RefreshToken> exchangeInPlace(PresentedRefreshToken presented, String clientId, Instant now,
                                                  NewRefreshToken successor) {
        Map<String, Object> parameters = exchangeParameters(presented.lookupHash(), clientId, now, now, successor);
        parameters.put("secret_hash", presented.secretHash());
        Optional<RefreshToken> replaced = postgres ? oneRow(EXCHANGE_IN_PLACE, parameters)
                : jdbi.inTransaction(h -> {
                    int won = h.createUpdate("UPDATE refresh_tokens SET " + REPLACE_IN_PLACE + " WHERE "
                            + EXCHANGEABLE_IN_PLACE).bindMap(parameters).execute();
                    return won == 0 ? Optional.<RefreshToken>empty() : byHash(h, presented.lookupHash());
                });
        // The row as the exchange found it: rotating (the statement required it) and now exchanged.
        return replaced.map(t -> new RefreshToken(t.id(), t.tokenHash(), t.familyId(), t.authorizationId(),
                t.clientId(), t.userId(), t.audience(), t.scopes(), t.sid(), true, t.createdAt(), now, now,
                t.idleExpiresAt(), t.absoluteExpiresAt(), t.expiresAt(), t.currentHash(), t.previousHash(),
                t.generation()));
    }

    /** H2 (embedded, no round trips): the same steps in one transaction. */
    private Optional<RefreshToken> exchangeInOneTransaction(String tokenHash, String clientId, Instant now,
                                                            Instant reuseMemoryUntil, NewRefreshToken successor) {
        Map<String, Object> parameters = exchangeParameters(tokenHash, clientId, now, reuseMemoryUntil, successor);
        return jdbi.inTransaction(h -> {
            int won = h.createUpdate("UPDATE refresh_tokens SET " + MARK_EXCHANGED + " WHERE " + EXCHANGEABLE)
                    .bindMap(parameters).execute();
            if (won == 0) {
                return Optional.empty();
            }
            RefreshToken exchanged = byHash(h, tokenHash).orElseThrow();
            insert(h, successorOf(exchanged, successor, now));
            return Optional.of(exchanged);
        });
    }

    static Map<String, Object> exchangeParameters(String tokenHash, String clientId, Instant now,
                                                  Instant reuseMemoryUntil, NewRefreshToken successor) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("token_hash", tokenHash);
        parameters.put("client_id", clientId);
        parameters.put("now", Times.millis(now));
        parameters.put("reuse_memory", Times.millis(reuseMemoryUntil));
        parameters.put("never", Times.millis(RefreshToken.NEVER));
        parameters.put("successor_id", successor.id());
        parameters.put("successor_hash", successor.tokenHash());
        parameters.put("successor_current",
                successor.currentHash() == null ? NamedStatement.NULL_TEXT : successor.currentHash());
        parameters.put("successor_generation",
                successor.generation() == null ? null : Long.valueOf(successor.generation()));
        parameters.put("successor_rotating", successor.rotating());
        Instant idle = successor.idleExpiresAt();
        parameters.put("successor_idle", idle == null ? null : Times.millis(idle));
        // RefreshToken.keptUntil in SQL: a rotating token is kept REUSE_MEMORY beyond its idle lifetime.
        parameters.put("successor_kept_idle", idle == null ? null
                : Times.millis(successor.rotating() ? idle.plus(RefreshToken.REUSE_MEMORY) : idle));
        parameters.put("successor_kept_twice", idle == null ? null
                : Times.millis(idle.plus(RefreshToken.REUSE_MEMORY).plus(RefreshToken.REUSE_MEMORY)));
        return parameters;
    }

    private static RefreshToken successorOf(RefreshToken exchanged, NewRefreshToken successor, Instant now) {
        Instant absolute = exchanged.absoluteExpiresAt();
        Instant idle = successor.idleExpiresAt();
        return new RefreshToken(successor.id(), successor.tokenHash(), exchanged.familyId(),
                exchanged.authorizationId(), exchanged.clientId(), exchanged.userId(), exchanged.audience(),
                exchanged.scopes(), exchanged.sid(), successor.rotating(), now, null, null, idle, absolute,
                RefreshToken.keptUntil(successor.rotating(), idle, absolute), successor.currentHash(), null,
                successor.generation());
    }

    @Override
    public void touch(String id, Instant now, Instant idleExpiresAt, Instant expiresAt) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE refresh_tokens SET last_used_at = :now, idle_expires_at = :idle, expires_at = :expires_at
                        WHERE id = :id""")
                .bind("id", id).bind("now", Times.millis(now))
                .bind("idle", idleExpiresAt == null ? null : Times.millis(idleExpiresAt))
                .bind("expires_at", Times.millis(expiresAt)).execute());
    }

    @Override
    public void deleteFamily(String familyId, String exceptId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM refresh_tokens WHERE family_id = :family_id AND id <> :except")
                .bind("family_id", familyId).bind("except", exceptId == null ? "" : exceptId).execute());
    }

    @Override
    public void deleteNonRotating(String userId, String clientId, String audience) {
        String sameAudience = audience == null ? "audience IS NULL" : "audience = :audience";
        jdbi.useHandle(h -> h.createUpdate("""
                        DELETE FROM refresh_tokens WHERE user_id = :user_id AND client_id = :client_id AND NOT rotating
                        AND\s""" + sameAudience)
                .bind("user_id", userId).bind("client_id", clientId).bind("audience", audience).execute());
    }

    @Override
    public boolean delete(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM refresh_tokens WHERE id = :id")
                .bind("id", id).execute() > 0);
    }

    @Override
    public List<RefreshToken> activeOfUser(String userId, String afterId, int limit) {
        return jdbi.withHandle(h -> {
            Optional<RefreshToken> after = afterId == null ? Optional.empty() : h.createQuery(
                            "SELECT " + ROW + " FROM refresh_tokens WHERE id = :id AND user_id = :user_id")
                    .bind("id", afterId).bind("user_id", userId).map(MAPPER).findOne();
            if (afterId != null && after.isEmpty()) {
                return List.of();
            }
            String below = after.isEmpty() ? ""
                    : " AND (created_at < :created_at OR (created_at = :created_at AND id < :after_id))";
            return h.createQuery("SELECT " + ROW + " FROM refresh_tokens WHERE user_id = :user_id AND rotated_at IS NULL"
                            + below + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                    .bind("user_id", userId).bind("limit", limit)
                    .bind("created_at", after.map(t -> Times.millis(t.createdAt())).orElse(0L))
                    .bind("after_id", afterId)
                    .map(MAPPER).list();
        });
    }

    @Override
    public int deleteExpired(Instant now, int batch) {
        return jdbi.withHandle(h -> ExpiredRows.delete(h, "refresh_tokens", List.of("id"), now, batch));
    }

    private static Optional<RefreshToken> byHash(Handle h, String tokenHash) {
        return h.createQuery("SELECT " + ROW + " FROM refresh_tokens WHERE token_hash = :token_hash")
                .bind("token_hash", tokenHash).map(MAPPER).findOne();
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant nullableInstant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Times.instant(millis);
    }

    private static List<String> scopes(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(" "));
    }
}
