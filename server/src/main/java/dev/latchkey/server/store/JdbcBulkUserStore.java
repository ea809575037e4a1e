package dev.latchkey.server.store;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.jobs.BulkUserStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports users in batches: one query finds which emails and ids of the batch exist, then one
 * batched INSERT (and with upsert one batched UPDATE) writes the rest, in one transaction. When a
 * concurrent writer takes an email meanwhile, the batch is retried user by user.
 */
public final class JdbcBulkUserStore implements BulkUserStore {

    private static final String INSERT = """
            INSERT INTO users (user_id, connection, email, email_verified, password_hash, name, given_name, family_name,
                nickname, picture, user_metadata, app_metadata, blocked, created_at, updated_at, last_login,
                logins_count, phone_verified)
            VALUES (:user_id, :connection, :email, :email_verified, :password_hash, :name, :given_name, :family_name,
                :nickname, :picture, :user_metadata, :app_metadata, :blocked, :created_at, :updated_at, NULL, 0, FALSE)""";
    /** Auth0 upsert: the file's values replace the stored ones; a user without a hash keeps the stored one. */
    private static final String UPSERT = """
            UPDATE users SET email_verified = :email_verified, name = :name, given_name = :given_name,
                family_name = :family_name, nickname = :nickname, picture = :picture, user_metadata = :user_metadata,
                app_metadata = :app_metadata, blocked = :blocked, updated_at = :updated_at,
                password_hash = COALESCE(:password_hash, password_hash)
            WHERE connection = :connection AND email = :email""";

    private final Jdbi jdbi;
    private final boolean postgres;

    public JdbcBulkUserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.postgres = DatabaseKind.postgres(jdbi);
    }

    @Override
    public List<Outcome> importBatch(List<ImportedUser> users, boolean upsert) {
        try {
            return jdbi.inTransaction(h -> write(DatabaseKind.planWithValues(h, postgres), users, upsert));
        } catch (StatementException e) {
            if (!UniqueViolations.is(e)) {
                throw e;
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (ImportedUser user : users) {
                try {
                    outcomes.add(jdbi.inTransaction(h -> write(DatabaseKind.planWithValues(h, postgres), List.of(user),
                            upsert)).get(0));
                } catch (StatementException one) {
                    if (!UniqueViolations.is(one)) {
                        throw one;
                    }
                    outcomes.add(Outcome.DUPLICATE);
                }
            }
            return outcomes;
        }
    }

    private static List<Outcome> write(Handle h, List<ImportedUser> users, boolean upsert) {
        String connection = users.get(0).user().connection();
        Set<String> emails = new HashSet<>();
        Set<String> ids = new HashSet<>();
        users.forEach(u -> {
            emails.add(u.user().email());
            ids.add(u.user().userId());
        });
        Map<String, String> existingEmails = new HashMap<>();
        h.createQuery("SELECT email, user_id FROM users WHERE connection = :connection AND email IN (<emails>)")
                .bind("connection", connection).bindList("emails", new ArrayList<>(emails))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> existingEmails.put(e.getKey(), e.getValue()));
        // An email held by a database identity linked into another user (V18) is taken: its password logs that
        // user in, so a new user with it would share a login, and an upsert would not reach the identity.
        Set<String> linkedEmails = new HashSet<>(h.createQuery(
                        "SELECT email FROM user_identities WHERE connection = :connection AND email IN (<emails>)")
                .bind("connection", connection).bindList("emails", new ArrayList<>(emails))
                .mapTo(String.class).list());
        Set<String> existingIds = new HashSet<>(h.createQuery("SELECT user_id FROM users WHERE user_id IN (<ids>)")
                .bindList("ids", new ArrayList<>(ids)).mapTo(String.class).list());
        // So is the id of a linked database identity: unlinking it makes that user again.
        List<String> subjects = ids.stream().filter(id -> id.startsWith(User.ID_PREFIX))
                .map(id -> id.substring(User.ID_PREFIX.length())).toList();
        if (!subjects.isEmpty()) {
            h.createQuery("SELECT subject FROM user_identities WHERE connection = :connection AND subject IN (<subjects>)")
                    .bind("connection", connection).bindList("subjects", subjects).mapTo(String.class)
                    .forEach(subject -> existingIds.add(User.ID_PREFIX + subject));
        }
        List<Outcome> outcomes = new ArrayList<>();
        var insert = h.prepareBatch(INSERT);
        var update = h.prepareBatch(UPSERT);
        int inserts = 0;
        int updates = 0;
        for (ImportedUser imported : users) {
            User user = imported.user();
            if (linkedEmails.contains(user.email())) {
                outcomes.add(Outcome.DUPLICATE);
            } else if (existingEmails.containsKey(user.email())) {
                if (upsert) {
                    bind(update, imported).add();
                    updates++;
                    outcomes.add(Outcome.UPDATED);
                } else {
                    outcomes.add(Outcome.DUPLICATE);
                }
            } else if (existingIds.contains(user.userId())) {
                outcomes.add(Outcome.DUPLICATE);
            } else {
                bind(insert, imported).add();
                inserts++;
                outcomes.add(Outcome.INSERTED);
            }
        }
        if (inserts > 0) {
            insert.execute();
        }
        if (updates > 0) {
            update.execute();
        }
        return outcomes;
    }

    private static org.jdbi.v3.core.statement.PreparedBatch bind(org.jdbi.v3.core.statement.PreparedBatch batch,
                                                                 ImportedUser imported) {
        User user = imported.user();
        return batch.bind("user_id", user.userId())
                .bind("connection", user.connection())
                .bind("email", user.email())
                .bind("email_verified", user.emailVerified())
                .bind("password_hash", imported.passwordHash())
                .bind("name", user.name())
                .bind("given_name", user.givenName())
                .bind("family_name", user.familyName())
                .bind("nickname", user.nickname())
                .bind("picture", user.picture())
                .bind("user_metadata", JsonColumns.write(user.userMetadata()))
                .bind("app_metadata", JsonColumns.write(user.appMetadata()))
                .bind("blocked", user.blocked())
                .bind("created_at", Times.millis(user.createdAt()))
                .bind("updated_at", Times.millis(user.updatedAt()));
    }

    @Override
    public List<User> page(String connection, String afterUserId, int limit) {
        return jdbi.withHandle(h -> {
            String sql = "SELECT " + JdbcUserStore.COLUMNS + " FROM users WHERE 1 = 1"
                    + (connection == null ? "" : " AND connection = :connection")
                    + (afterUserId == null ? "" : " AND user_id > :after")
                    + " ORDER BY user_id LIMIT :limit";
            var query = h.createQuery(sql).bind("limit", limit);
            if (connection != null) {
                query.bind("connection", connection);
            }
            if (afterUserId != null) {
                query.bind("after", afterUserId);
            }
            return query.map(JdbcUserStore.MAPPER).list();
        });
    }
}
