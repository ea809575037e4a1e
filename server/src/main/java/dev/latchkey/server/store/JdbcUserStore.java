package dev.latchkey.server.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.latchkey.server.identity.Phone;
import dev.latchkey.server.identity.PostalAddress;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserQuery;
import dev.latchkey.server.identity.UserSort;
import dev.latchkey.server.identity.UserStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.Update;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

public final class JdbcUserStore implements UserStore {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    /** The columns {@link #MAPPER} reads, by position: every query it maps selects them first, in this order. */
    static final String COLUMNS = """
            user_id, connection, email, email_verified, name, given_name, family_name, nickname, picture,
            user_metadata, app_metadata, blocked, created_at, updated_at, last_login, logins_count, phone_number,
            phone_verified, address""";
    private static final String LINKED_COLUMNS = Arrays.stream(COLUMNS.split(","))
            .map(column -> "u." + column.strip()).collect(Collectors.joining(", "));
    /** By position, not by name: H2 upper-cases each name it is asked for, on every row. */
    static final RowMapper<User> MAPPER = (rs, ctx) -> new User(
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getBoolean(4),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getString(8),
            rs.getString(9),
            JsonColumns.read(rs.getString(10), OBJECT),
            JsonColumns.read(rs.getString(11), OBJECT),
            rs.getBoolean(12),
            Times.instant(rs.getLong(13)),
            Times.instant(rs.getLong(14)),
            Times.nullableInstant(rs.getObject(15, Long.class)),
            rs.getInt(16),
            rs.getString(17) == null ? null : new Phone(rs.getString(17), rs.getBoolean(18)),
            rs.getString(19) == null ? null : PostalAddress.of(JsonColumns.stringMap(rs.getString(19))));

    private final Jdbi jdbi;
    /** PostgreSQL answers metadata searches with its JSON operators; H2 cannot. */
    private final boolean postgres;

    public JdbcUserStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.postgres = DatabaseKind.postgres(jdbi);
    }

    @Override
    public void create(User user, String passwordHash) {
        try {
            jdbi.useTransaction(h -> {
                requireEmailFree(h, user);
                insert(h, user, passwordHash);
            });
        } catch (StatementException e) {
            throw duplicateOr(e);
        }
    }

    /** Inserts {@code user} with {@code passwordHash} (null for none), in the caller's transaction. */
    static void insert(Handle h, User user, String passwordHash) {
        bindProfile(h.createUpdate("""
                INSERT INTO users (user_id, connection, email, email_verified, password_hash, name, given_name,
                    family_name, nickname, picture, user_metadata, app_metadata, blocked, created_at, updated_at,
                    last_login, logins_count, phone_number, phone_verified, address)
                VALUES (:user_id, :connection, :email, :email_verified, :password_hash, :name, :given_name,
                    :family_name, :nickname, :picture, :user_metadata, :app_metadata, :blocked, :created_at,
                    :updated_at, NULL, 0, :phone_number, :phone_verified, :address)"""), user)
                .bind("connection", user.connection())
                .bind("password_hash", passwordHash)
                .bind("created_at", Times.millis(user.createdAt()))
                .execute();
    }

    /**
     * A database user's email is held once in its connection: by a user (the unique key) or by a database
     * identity linked into another user (V18), whose password logs that other user in.
     */
    private static void requireEmailFree(Handle h, User user) {
        if (user.email() == null || !user.userId().startsWith(User.ID_PREFIX)) {
            return;
        }
        boolean linked = h.createQuery("""
                        SELECT COUNT(*) FROM user_identities WHERE connection = :connection AND email = :email""")
                .bind("connection", user.connection()).bind("email", user.email()).mapTo(Integer.class).one() > 0;
        if (linked) {
            throw new DuplicateKeyException("The user already exists.");
        }
    }

    @Override
    public Optional<User> findById(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE user_id = :user_id")
                .bind("user_id", userId).map(MAPPER).findOne());
    }

    @Override
    public Optional<User> findByIdentity(String connection, String subject) {
        // One statement for what an upstream login reads first: the identity's owner, and that owner's row.
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE user_id = "
                        + "(SELECT user_id FROM user_identities WHERE connection = :connection AND subject = :subject)")
                .bind("connection", connection).bind("subject", subject).map(MAPPER).findOne());
    }

    @Override
    public Optional<User> findByEmail(String connection, String email) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM users WHERE connection = :connection AND email = :email")
                .bind("connection", connection).bind("email", email).map(MAPPER).findOne());
    }

    /**
     * The user of the connection with this email and their password hash; else, for a database identity linked into
     * another user (V18), that other user with the identity's own password hash: its password logs the primary in.
     */
    @Override
    public Optional<Credentials> credentials(String connection, String email) {
        // Writes keep an email in one place; should a race (a sign-up against a link) leave it in two, the user's own wins.
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + ", password_hash, 0 AS linked FROM users WHERE connection = :connection AND email = :email"
                        + " UNION ALL SELECT " + LINKED_COLUMNS + ", i.password_hash, 1 AS linked FROM user_identities i"
                        + " JOIN users u ON u.user_id = i.user_id WHERE i.connection = :connection AND i.email = :email"
                        + " ORDER BY linked")
                .bind("connection", connection).bind("email", email)
                .map((rs, ctx) -> new Credentials(MAPPER.map(rs, ctx), rs.getString("password_hash")))
                .findFirst());
    }

    @Override
    public Page<User> list(UserQuery filter, UserSort sort, PageRequest page) {
        UserQuerySql where = UserQuerySql.of(filter, postgres);
        return jdbi.inTransaction(h -> {
            DatabaseKind.planWithValues(h, postgres);
            var query = h.createQuery(pageSql(where, sort));
            where.parameters().forEach(query::bind);
            List<User> users = query.bind("limit", page.perPage()).bind("offset", page.offset()).map(MAPPER).list();
            if (!page.counted()) {
                return new Page<>(users, Page.UNCOUNTED);
            }
            var count = h.createQuery("SELECT COUNT(*) FROM users WHERE " + where.condition());
            where.parameters().forEach(count::bind);
            return new Page<>(users, count.mapTo(Long.class).one());
        });
    }

    /**
     * One page of users matching {@code where}, in {@code sort} order. Columns and SQL come from enums
     * and {@link UserQuerySql}, never from the request; values are bound.
     */
    static String pageSql(UserQuerySql where, UserSort sort) {
        return "SELECT " + COLUMNS + " FROM users WHERE " + where.condition() + " ORDER BY " + sort.field().column()
                + (sort.ascending() ? " ASC" : " DESC") + " NULLS LAST, user_id LIMIT :limit OFFSET :offset";
    }

    @Override
    public void update(User user) {
        try {
            jdbi.useTransaction(h -> {
                requireEmailFree(h, user);
                bindProfile(h.createUpdate("""
                    UPDATE users SET email = :email, email_verified = :email_verified, name = :name,
                        given_name = :given_name, family_name = :family_name, nickname = :nickname,
                        picture = :picture, user_metadata = :user_metadata, app_metadata = :app_metadata,
                        blocked = :blocked, updated_at = :updated_at, phone_number = :phone_number,
                        phone_verified = :phone_verified, address = :address
                    WHERE user_id = :user_id"""), user).execute();
            });
        } catch (StatementException e) {
            throw duplicateOr(e);
        }
    }

    @Override
    public void updatePasswordHash(String userId, String passwordHash, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE users SET password_hash = :password_hash, last_password_reset = :at
                        WHERE user_id = :user_id""")
                .bind("user_id", userId).bind("password_hash", passwordHash).bind("at", Times.millis(at))
                .execute());
    }

    @Override
    public void rehash(String userId, String previousHash, String passwordHash) {
        jdbi.useHandle(h -> {
            int own = h.createUpdate("""
                            UPDATE users SET password_hash = :password_hash
                            WHERE user_id = :user_id AND password_hash = :previous""")
                    .bind("user_id", userId).bind("password_hash", passwordHash).bind("previous", previousHash)
                    .execute();
            if (own == 0) {
                // The hash that logged the user in was a linked database identity's (V18): upgrade that one.
                h.createUpdate("""
                                UPDATE user_identities SET password_hash = :password_hash
                                WHERE user_id = :user_id AND password_hash = :previous""")
                        .bind("user_id", userId).bind("password_hash", passwordHash).bind("previous", previousHash)
                        .execute();
            }
        });
    }

    @Override
    public void recordLogin(String userId, Instant at, String ip) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE users SET last_login = :at, last_ip = :ip, logins_count = logins_count + 1
                        WHERE user_id = :user_id""")
                .bind("user_id", userId).bind("at", Times.millis(at)).bind("ip", ip).execute());
    }

    @Override
    public void recordUpstreamLogin(User user, Instant at, String ip, boolean counted) {
        String login = counted ? ", last_login = :at, last_ip = :ip, logins_count = logins_count + 1" : "";
        try {
            jdbi.useHandle(h -> {
                Update update = bindProviderFields(h.createUpdate("""
                                UPDATE users SET email = :email, email_verified = :email_verified, name = :name,
                                    given_name = :given_name, family_name = :family_name, nickname = :nickname,
                                    picture = :picture, updated_at = :at""" + login + " WHERE user_id = :user_id"), user)
                        .bind("at", Times.millis(at));
                if (counted) {
                    update.bind("ip", ip);
                }
                update.execute();
            });
        } catch (StatementException e) {
            throw duplicateOr(e);
        }
    }

    /** Tables holding what a user was issued, each with an index on user_id. */
    private static final List<String> ISSUED_TO_USER = List.of("sso_sessions", "opaque_tokens", "refresh_tokens",
            "authorizations", "user_grants", "authorization_codes", "login_transactions", "user_identities");

    @Override
    public boolean delete(String userId) {
        return jdbi.inTransaction(h -> delete(h, userId));
    }

    /** Deletes the user and everything issued to them, in the caller's transaction. */
    static boolean delete(Handle h, String userId) {
        for (String table : ISSUED_TO_USER) {
            h.createUpdate("DELETE FROM " + table + " WHERE user_id = :user_id").bind("user_id", userId).execute();
        }
        return h.createUpdate("DELETE FROM users WHERE user_id = :user_id").bind("user_id", userId).execute() > 0;
    }

    @Override
    public List<String> endAccess(String userId) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM sso_sessions WHERE user_id = :user_id").bind("user_id", userId).execute();
            List<String> tokens = h.createQuery("SELECT token_hash FROM opaque_tokens WHERE user_id = :user_id")
                    .bind("user_id", userId).mapTo(String.class).list();
            h.createUpdate("DELETE FROM opaque_tokens WHERE user_id = :user_id").bind("user_id", userId).execute();
            return tokens;
        });
    }

    private static <S extends SqlStatement<S>> S bindProfile(S statement, User user) {
        return bindProviderFields(statement, user)
                .bind("user_metadata", JsonColumns.write(user.userMetadata()))
                .bind("app_metadata", JsonColumns.write(user.appMetadata()))
                .bind("blocked", user.blocked())
                .bind("updated_at", Times.millis(user.updatedAt()))
                .bind("phone_number", user.phone() == null ? null : user.phone().number())
                .bind("phone_verified", user.phone() != null && user.phone().verified())
                .bind("address", user.address() == null ? null : JsonColumns.write(user.address().members()));
    }

    /** The user id and the fields an upstream provider owns: email, names, picture. */
    private static <S extends SqlStatement<S>> S bindProviderFields(S statement, User user) {
        return statement
                .bind("user_id", user.userId())
                .bind("email", user.email())
                .bind("email_verified", user.emailVerified())
                .bind("name", user.name())
                .bind("given_name", user.givenName())
                .bind("family_name", user.familyName())
                .bind("nickname", user.nickname())
                .bind("picture", user.picture());
    }

    private static RuntimeException duplicateOr(StatementException e) {
        if (UniqueViolations.is(e)) {
            return new DuplicateKeyException("The user already exists.");
        }
        return e;
    }
}
