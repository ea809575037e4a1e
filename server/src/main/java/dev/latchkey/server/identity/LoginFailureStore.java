package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Failed-login counters kept in the database, so every node of a cluster agrees: per account
 * ({@code subject}, a digest of connection and email) and IP, per account across IPs, and per IP
 * across accounts.
 */
public interface LoginFailureStore {

    /** The state of one account and IP pair, if any failure is counted. */
    Optional<PairState> pair(String subject, String ip);

    /**
     * Adds one failure to the pair, atomically; when the count reaches {@code threshold} and the pair is
     * not yet blocked, marks it blocked at {@code now}. Answers the state after the increment.
     */
    PairState recordPairFailure(String subject, String ip, int threshold, Instant now, Instant expiresAt);

    /** Forgets the pair (a successful login). */
    void clearPair(String subject, String ip);

    /** The account's failures across IPs, if any are counted. */
    Optional<AccountState> account(String subject);

    /** Adds one failure to the account, atomically; answers the state after the increment. */
    AccountState recordAccountFailure(String subject, Instant now, Instant expiresAt);

    /** Forgets the account's count across IPs (a successful login). */
    void clearAccount(String subject);

    /**
     * Forgets every count of the account, per IP and across IPs (unblock, password change); answers how
     * many pairs were removed.
     */
    int clearSubject(String subject);

    /** The IPs blocked for the account. */
    List<String> blockedIps(String subject);

    /** Failures from {@code ip} in the window starting at {@code windowStart}. */
    int ipFailures(String ip, Instant windowStart);

    /** Adds one failure to the IP's window, atomically; answers the count after the increment. */
    int recordIpFailure(String ip, Instant windowStart, Instant expiresAt);

    /** Deletes up to {@code batch} expired rows; answers how many. */
    int deleteExpired(Instant now, int batch);

    record PairState(int failures, Instant blockedAt) {
        public boolean blocked() {
            return blockedAt != null;
        }
    }

    record AccountState(int failures, Instant lastFailureAt) {
    }
}
