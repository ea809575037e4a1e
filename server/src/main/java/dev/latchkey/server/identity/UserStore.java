package dev.latchkey.server.identity;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where users and their password hashes are kept. Emails arrive here already lowercased. */
public interface UserStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the email is taken in the connection */
    void create(User user, String passwordHash);

    Optional<User> findById(String userId);

    /**
     * The user holding the upstream identity of {@code connection} and {@code subject}, whether it is their own
     * or linked into them; empty when no user holds it.
     */
    Optional<User> findByIdentity(String connection, String subject);

    Optional<User> findByEmail(String connection, String email);

    /** The user and the stored password hash (which may be null: a user without a password). */
    Optional<Credentials> credentials(String connection, String email);

    /** @throws UserQuery.Unsupported when this store cannot run the query */
    Page<User> list(UserQuery query, UserSort sort, PageRequest page);

    /**
     * Writes the profile fields of {@code user} (email, names, picture, metadata, flags, updated_at).
     * @throws dev.latchkey.server.store.DuplicateKeyException when the new email is taken
     */
    void update(User user);

    /** Sets a new password (a change or reset: {@code last_password_reset} becomes {@code at}). */
    void updatePasswordHash(String userId, String passwordHash, Instant at);

    /**
     * Replaces {@code previousHash} by the same password hashed anew (a cost upgrade), only if the stored
     * hash is still {@code previousHash}: a password changed meanwhile is not overwritten. The hash is the user's own,
     * or that of a database identity linked into the user (whose password logs the user in).
     */
    void rehash(String userId, String previousHash, String passwordHash);

    /** Counts a successful login: {@code last_login}, {@code last_ip}, {@code logins_count + 1}. */
    void recordLogin(String userId, Instant at, String ip);

    /**
     * A login through an upstream provider, in one write: the fields the provider owns (email, names, picture)
     * from {@code user}, {@code updated_at}, and, when {@code counted}, the login as {@link #recordLogin} counts
     * it. Metadata, {@code blocked}, phone and address stay as stored.
     * @throws dev.latchkey.server.store.DuplicateKeyException when the new email is taken
     */
    void recordUpstreamLogin(User user, Instant at, String ip, boolean counted);

    /**
     * Deletes the user and, in the same transaction, everything issued to them: SSO sessions, opaque
     * access tokens, consents (user grants), authorization codes and login transactions.
     */
    boolean delete(String userId);

    /**
     * Ends the user's access (blocked, or a new password), in one transaction: deletes their SSO
     * sessions and opaque access tokens. Answers the digests of the tokens deleted.
     */
    List<String> endAccess(String userId);

    /** A user with the hash their password is checked against. */
    record Credentials(User user, String passwordHash) {
        @Override
        public String toString() {
            return "Credentials[" + user.userId() + "]";
        }
    }
}
