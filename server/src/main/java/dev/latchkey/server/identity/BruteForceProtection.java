package dev.latchkey.server.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Auth0's brute-force protection: after {@value #PAIR_THRESHOLD} failed logins for one account from one
 * IP, that pair is blocked until an administrator unblocks it ({@code DELETE /api/v2/user-blocks/{id}}),
 * the password changes, or {@link #PAIR_BLOCK} passes; a successful login resets the count. Across
 * accounts, an IP with {@value #IP_CEILING} failures within {@link #IP_WINDOW} is refused until the
 * window ends (credential stuffing); an IPv6 address counts for its whole /64 there ({@link IpNetwork}).
 * Accounts are identified by a digest of connection and email, so unknown emails are counted and
 * blocked exactly like known ones.
 */
public final class BruteForceProtection {

    /** Auth0: "Brute-force protection ... 10 failed login attempts" per user and IP. */
    public static final int PAIR_THRESHOLD = 10;
    /** How long a blocked pair stays blocked without an unblock; also how long counts are remembered. */
    public static final Duration PAIR_BLOCK = Duration.ofDays(30);
    public static final int IP_CEILING = 100;
    public static final Duration IP_WINDOW = Duration.ofHours(1);

    private final LoginFailureStore store;

    public BruteForceProtection(LoginFailureStore store) {
        this.store = store;
    }

    /** Where an attempt stands before its password is checked: a block in force, and the pair's failures. */
    public Standing standing(String subject, String ip, Instant now) {
        Instant windowStart = windowStart(now);
        if (store.ipFailures(IpNetwork.of(ip), windowStart) >= IP_CEILING) {
            // The pair is not read: a blocked attempt never succeeds, so nothing would be cleared.
            return new Standing(windowStart.plus(IP_WINDOW), false);
        }
        Optional<LoginFailureStore.PairState> pair = store.pair(subject, ip);
        Instant until = pair.filter(LoginFailureStore.PairState::blocked)
                .map(state -> state.blockedAt().plus(PAIR_BLOCK))
                .filter(end -> end.isAfter(now))
                .orElse(null);
        return new Standing(until, pair.isPresent());
    }

    /** Counts a failure; says whether this one tripped a block, and until when. */
    public Failure recordFailure(String subject, String ip, Instant now) {
        LoginFailureStore.PairState pair = store.recordPairFailure(subject, ip, PAIR_THRESHOLD, now,
                now.plus(PAIR_BLOCK));
        Instant windowStart = windowStart(now);
        int ipFailures = store.recordIpFailure(IpNetwork.of(ip), windowStart, windowStart.plus(IP_WINDOW));
        // Exactly equal: concurrent failures on other nodes cannot both report the trip.
        boolean pairTripped = pair.failures() == PAIR_THRESHOLD && pair.blocked();
        boolean ipTripped = ipFailures == IP_CEILING;
        Instant until = null;
        if (pair.blocked()) {
            until = pair.blockedAt().plus(PAIR_BLOCK);
        } else if (ipFailures >= IP_CEILING) {
            until = windowStart.plus(IP_WINDOW);
        }
        return new Failure(pairTripped, ipTripped, until, pair.failures());
    }

    /** A successful login resets the pair's count (Auth0), when {@code before} saw one. */
    public void recordSuccess(String subject, String ip, Standing before) {
        if (before.pairCounted()) {
            store.clearPair(subject, ip);
        }
    }

    /** Lifts every block and count of an account; answers whether anything was lifted. */
    public boolean unblock(String connection, String email) {
        return store.clearSubject(subject(connection, email)) > 0;
    }

    public java.util.List<String> blockedIps(String connection, String email) {
        return store.blockedIps(subject(connection, email));
    }

    /** SHA-256 of connection and lowercased email, hex. */
    public static String subject(String connection, String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (connection + "\n" + email.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Instant windowStart(Instant now) {
        long window = IP_WINDOW.toMillis();
        return Instant.ofEpochMilli(now.toEpochMilli() / window * window);
    }

    /**
     * An attempt before its password is checked: {@code blockedUntil} is set while a block is in force;
     * {@code pairCounted} says whether failures are on record for the account and IP (a success clears them).
     */
    public record Standing(Instant blockedUntil, boolean pairCounted) {
        public boolean blocked() {
            return blockedUntil != null;
        }
    }

    /**
     * One counted failure. {@code until} is set when the attempt is now blocked; {@code pairTripped} and
     * {@code ipTripped} are true only for the failure that reached the threshold.
     */
    public record Failure(boolean pairTripped, boolean ipTripped, Instant until, int pairFailures) {
        public boolean blocked() {
            return until != null;
        }
    }
}
