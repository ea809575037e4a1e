package dev.latchkey.server.store;

import dev.latchkey.server.identity.AccountLinkStore;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.User;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Account linking in one transaction per change. Both users' rows are locked ({@code SELECT ... FOR UPDATE}, in
 * user id order) before anything is read, so a concurrent link, unlink or deletion of either waits and then sees
 * the outcome.
 */
public final class JdbcAccountLinkStore implements AccountLinkStore {

    private final Jdbi jdbi;

    public JdbcAccountLinkStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Outcome link(String primaryId, String secondaryId, Map<String, Object> databaseProfile, Instant at) {
        return jdbi.inTransaction(h -> {
            List<String> locked = lock(h, primaryId, secondaryId);
            if (!locked.contains(primaryId)) {
                return Outcome.PRIMARY_GONE;
            }
            if (!locked.contains(secondaryId)) {
                return Outcome.SECONDARY_GONE;
            }
            // Read under the lock: a block that lands between the caller's check and here is not lost.
            if (h.createQuery("SELECT blocked FROM users WHERE user_id = :user_id").bind("user_id", secondaryId)
                    .mapTo(Boolean.class).one()) {
                return Outcome.SECONDARY_BLOCKED;
            }
            boolean hasLinks = h.createQuery("SELECT provider, connection, subject FROM user_identities"
                            + " WHERE user_id = :user_id")
                    .bind("user_id", secondaryId)
                    .map((rs, ctx) -> new Identity(rs.getString("connection"), rs.getString("subject"), secondaryId,
                            rs.getString("provider"), null, null, null, null, at))
                    .stream().anyMatch(identity -> !identity.isMainOf(secondaryId));
            if (hasLinks) {
                return Outcome.SECONDARY_HAS_LINKS;
            }
            h.createUpdate("UPDATE user_identities SET user_id = :primary WHERE user_id = :secondary")
                    .bind("primary", primaryId).bind("secondary", secondaryId).execute();
            if (secondaryId.startsWith(User.ID_PREFIX)) {
                h.createUpdate("""
                                INSERT INTO user_identities (connection, subject, user_id, provider, profile_data,
                                    updated_at, email, password_hash)
                                SELECT connection, :subject, :primary, :provider, :profile_data, :updated_at, email,
                                    password_hash
                                FROM users WHERE user_id = :secondary""")
                        .bind("subject", secondaryId.substring(User.ID_PREFIX.length()))
                        .bind("primary", primaryId)
                        .bind("provider", Identity.DATABASE_PROVIDER)
                        .bind("profile_data", JsonColumns.write(databaseProfile))
                        .bind("updated_at", Times.millis(at))
                        .bind("secondary", secondaryId)
                        .execute();
            }
            JdbcUserStore.delete(h, secondaryId);
            return Outcome.DONE;
        });
    }

    @Override
    public Outcome unlink(String primaryId, Identity identity, User restored) {
        try {
            return jdbi.inTransaction(h -> {
                if (!lock(h, primaryId, restored.userId()).equals(List.of(primaryId))) {
                    return lock(h, primaryId).isEmpty() ? Outcome.PRIMARY_GONE : Outcome.DUPLICATE;
                }
                String passwordHash = h.createQuery("""
                                SELECT password_hash FROM user_identities
                                WHERE connection = :connection AND subject = :subject AND user_id = :primary""")
                        .bind("connection", identity.connection()).bind("subject", identity.subject())
                        .bind("primary", primaryId).mapTo(String.class).findFirst().orElse(null);
                boolean database = Identity.DATABASE_PROVIDER.equals(identity.provider());
                int moved = database
                        ? h.createUpdate("""
                                DELETE FROM user_identities
                                WHERE connection = :connection AND subject = :subject AND user_id = :primary""")
                        .bind("connection", identity.connection()).bind("subject", identity.subject())
                        .bind("primary", primaryId).execute()
                        : h.createUpdate("""
                                UPDATE user_identities SET user_id = :restored
                                WHERE connection = :connection AND subject = :subject AND user_id = :primary""")
                        .bind("restored", restored.userId()).bind("connection", identity.connection())
                        .bind("subject", identity.subject()).bind("primary", primaryId).execute();
                if (moved == 0) {
                    return Outcome.IDENTITY_GONE;
                }
                JdbcUserStore.insert(h, restored, database ? passwordHash : null);
                return Outcome.DONE;
            });
        } catch (StatementException e) {
            if (UniqueViolations.is(e)) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }

    /** Locks the rows of the users that exist among {@code userIds}, in id order; answers their ids. */
    private static List<String> lock(Handle h, String... userIds) {
        List<String> ids = Stream.of(userIds).distinct().sorted().toList();
        return h.createQuery("SELECT user_id FROM users WHERE user_id IN (<ids>) ORDER BY user_id FOR UPDATE")
                .bindList("ids", ids).mapTo(String.class).list();
    }
}
