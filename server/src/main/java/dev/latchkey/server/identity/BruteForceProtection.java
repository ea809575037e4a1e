package dev.latchkey.server.identity;

import dev.latchkey.server.http.AddressRanges;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Brute-force protection, counted where the guessing is aimed (OWASP ASVS 2.2.1, NIST SP 800-63B §5.2.2):
 * <ol>
 *   <li>per account and IP (Auth0): after {@value #PAIR_THRESHOLD} failures the pair is blocked until an
 *       administrator unblocks it ({@code DELETE /api/v2/user-blocks/{id}}), the password changes, or
 *       {@link #PAIR_BLOCK} passes;</li>
 *   <li>per account across IPs: after {@value #ACCOUNT_FREE_FAILURES} failures each further attempt waits
 *       a delay that doubles with every failure, up to {@link #ACCOUNT_MAX_DELAY}, so guessing one password
 *       from many addresses is slowed without locking the account for good;</li>
 *   <li>per IP across accounts (credential stuffing; an IPv6 address counts for its /64, {@link IpNetwork}):
 *       past {@value #IP_CEILING} failures within {@link #IP_WINDOW} every failure answers "too many
 *       attempts" with a delay that grows with the count, and the trip is logged. This ceiling never refuses
 *       an attempt before its password is checked: one address is often a whole office or carrier NAT, and
 *       failures for emails that do not exist must not keep a real user with the right password out. Networks
 *       in {@code LATCHKEY_TRUSTED_NETWORKS} are not counted at all.</li>
 * </ol>
 * Only the first two stop an attempt before its password is checked. A successful login resets the account's
 * counts (Auth0). Accounts are identified by a digest of connection and email, so unknown emails are counted
 * and blocked exactly like known ones.
 */
public final class BruteForceProtection {

    /** Auth0: "Brute-force protection ... 10 failed login attempts" per user and IP. */
    public static final int PAIR_THRESHOLD = 10;
    /** How long a blocked pair stays blocked without an unblock; also how long counts are remembered. */
    public static final Duration PAIR_BLOCK = Duration.ofDays(30);
    /** Failures of one account, from any IPs, before its attempts are spaced out. */
    public static final int ACCOUNT_FREE_FAILURES = 20;
    public static final Duration ACCOUNT_MAX_DELAY = Duration.ofMinutes(15);
    /** An account's count is forgotten this long after its last failure. */
    public static final Duration ACCOUNT_MEMORY = Duration.ofDays(1);
    public static final int IP_CEILING = 100;
    public static final Duration IP_WINDOW = Duration.ofHours(1);
    /** Past the IP ceiling, the delay a failure answers with doubles every this many failures. */
    static final int IP_DOUBLING = 10;

    private final LoginFailureStore store;
    private final AddressRanges trustedNetworks;

    public BruteForceProtection(LoginFailureStore store, AddressRanges trustedNetworks) {
        this.store = store;
        this.trustedNetworks = trustedNetworks;
    }

    /** Where an attempt stands before its password is checked: a block in force, and what is counted. */
    public Standing standing(String subject, String ip, Instant now) {
        Optional<LoginFailureStore.PairState> pair = store.pair(subject, ip);
        Optional<LoginFailureStore.AccountState> account = store.account(subject);
        Instant until = later(pair.flatMap(BruteForceProtection::pairBlockEnd).orElse(null),
                account.flatMap(BruteForceProtection::accountDelayEnd).orElse(null));
        return new Standing(until != null && until.isAfter(now) ? until : null, pair.isPresent(), account.isPresent());
    }

    /** Counts a failure; says whether this one tripped a limit, and until when the client should wait. */
    public Failure recordFailure(String subject, String ip, Instant now) {
        LoginFailureStore.PairState pair = store.recordPairFailure(subject, ip, PAIR_THRESHOLD, now,
                now.plus(PAIR_BLOCK));
        LoginFailureStore.AccountState account = store.recordAccountFailure(subject, now, now.plus(ACCOUNT_MEMORY));
        int ipFailures = 0;
        Instant ipUntil = null;
        if (!trustedNetworks.contains(ip)) {
            Instant windowStart = windowStart(now);
            Instant windowEnd = windowStart.plus(IP_WINDOW);
            ipFailures = store.recordIpFailure(IpNetwork.of(ip), windowStart, windowEnd);
            if (ipFailures >= IP_CEILING) {
                Instant delayed = now.plus(doubling(ipFailures - IP_CEILING, IP_DOUBLING, windowEnd.getEpochSecond()
                        - now.getEpochSecond()));
                ipUntil = delayed.isBefore(windowEnd) ? delayed : windowEnd;
            }
        }
        // Exactly equal: concurrent failures on other nodes cannot both report the trip.
        boolean pairTripped = pair.failures() == PAIR_THRESHOLD && pair.blocked();
        boolean ipTripped = ipFailures == IP_CEILING;
        Instant until = later(later(pairBlockEnd(pair).orElse(null), accountDelayEnd(account).orElse(null)), ipUntil);
        return new Failure(pairTripped, ipTripped, until, pair.failures());
    }

    /** A successful login resets the account's counts (Auth0), when {@code before} saw some. */
    public void recordSuccess(String subject, String ip, Standing before) {
        if (before.pairCounted()) {
            store.clearPair(subject, ip);
        }
        if (before.accountCounted()) {
            store.clearAccount(subject);
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

    private static Optional<Instant> pairBlockEnd(LoginFailureStore.PairState pair) {
        return pair.blocked() ? Optional.of(pair.blockedAt().plus(PAIR_BLOCK)) : Optional.empty();
    }

    /** One second after the first failure past the free ones, doubling with each further failure. */
    private static Optional<Instant> accountDelayEnd(LoginFailureStore.AccountState account) {
        if (account.failures() < ACCOUNT_FREE_FAILURES) {
            return Optional.empty();
        }
        return Optional.of(account.lastFailureAt().plus(doubling(account.failures() - ACCOUNT_FREE_FAILURES, 1,
                ACCOUNT_MAX_DELAY.toSeconds())));
    }

    /** {@code 2^(over / step)} seconds, at most {@code maxSeconds}. */
    private static Duration doubling(int over, int step, long maxSeconds) {
        int exponent = over / step;
        long seconds = exponent >= 40 ? maxSeconds : Math.min(1L << exponent, maxSeconds);
        return Duration.ofSeconds(Math.max(seconds, 1));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static Instant windowStart(Instant now) {
        long window = IP_WINDOW.toMillis();
        return Instant.ofEpochMilli(now.toEpochMilli() / window * window);
    }

    /**
     * An attempt before its password is checked: {@code blockedUntil} is set while a pair block or an account
     * delay is in force; {@code pairCounted} and {@code accountCounted} say whether failures are on record for
     * the account and IP, and for the account (a success clears them).
     */
    public record Standing(Instant blockedUntil, boolean pairCounted, boolean accountCounted) {
        public boolean blocked() {
            return blockedUntil != null;
        }
    }

    /**
     * One counted failure. {@code until} is set when the client should wait; {@code pairTripped} and
     * {@code ipTripped} are true only for the failure that reached the threshold.
     */
    public record Failure(boolean pairTripped, boolean ipTripped, Instant until, int pairFailures) {
        public boolean blocked() {
            return until != null;
        }
    }
}
