package dev.latchkey.server.identity;

import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.time.Instant;
import java.util.Optional;

/** Where users and their password hashes are kept. Emails arrive here already lowercased. */
public interface UserStore {

    /** @throws dev.latchkey.server.store.DuplicateKeyException when the email is taken in the connection */
    void create(User user, String passwordHash);

    Optional<User> findById(String userId);

    Optional<User> findByEmail(String connection, String email);

    /** The user and the stored password hash (which may be null: a user without a password). */
    Optional<Credentials> credentials(String connection, String email);

    Page<User> list(UserFilter filter, UserSort sort, PageRequest page);

    /**
     * Writes the profile fields of {@code user} (email, names, picture, metadata, flags, updated_at).
     * @throws dev.latchkey.server.store.DuplicateKeyException when the new email is taken
     */
    void update(User user);

    void updatePasswordHash(String userId, String passwordHash, Instant at);

    /** Counts a successful login: {@code last_login}, {@code last_ip}, {@code logins_count + 1}. */
    void recordLogin(String userId, Instant at, String ip);

    boolean delete(String userId);

    /** A user with the hash their password is checked against. */
    record Credentials(User user, String passwordHash) {
        @Override
        public String toString() {
            return "Credentials[" + user.userId() + "]";
        }
    }
}
