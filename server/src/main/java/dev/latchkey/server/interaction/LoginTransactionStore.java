package dev.latchkey.server.interaction;

import java.time.Instant;
import java.util.Optional;

/** The storage login transactions need. */
public interface LoginTransactionStore {

    /**
     * Stores the transaction. One already stored under the same id (a transaction carried in a sealed upstream
     * state, answered more than once by the provider) takes the login {@code transaction} holds instead.
     */
    void create(LoginTransaction transaction);

    Optional<LoginTransaction> find(String idHash);

    /** Records who logged in for this transaction. */
    void authenticated(String idHash, String userId, Instant authTime, String sid);

    void delete(String idHash);

    /** How many transactions started from {@code network} are still open (not expired) at {@code now}. */
    int countOpen(String network, Instant now);

    /** Deletes the {@code count} oldest transactions started from {@code network}. */
    void deleteOldest(String network, int count);
}
