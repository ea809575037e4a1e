package dev.latchkey.server.identity;

import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogEvent;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The users of database connections, as the login page and the password grant see them. A login
 * runs in a fixed order: the account's own blocks ({@link BruteForceProtection}) → password check (a dummy hash for unknown emails, so
 * both cost the same) → count the failure or reset the count → the admin block → record the login
 * (re-hashing an imported or cheaper hash with the current Argon2id cost). Every outcome is logged.
 */
public final class DatabaseUserDirectory implements UserDirectory {

    private final UserStore users;
    private final PasswordHasher hasher;
    private final BruteForceProtection protection;
    private final AuditLog log;
    private final Clock clock;

    public DatabaseUserDirectory(UserStore users, PasswordHasher hasher, BruteForceProtection protection,
                                 AuditLog log, Clock clock) {
        this(users, hasher, protection, log, clock, connection -> true);
    }

    /**
     * @param protects whether a connection has brute-force protection on (Auth0 {@code brute_force_protection});
     *                 when off, its failures are logged but neither counted nor blocked
     */
    public DatabaseUserDirectory(UserStore users, PasswordHasher hasher, BruteForceProtection protection,
                                 AuditLog log, Clock clock, java.util.function.Predicate<String> protects) {
        this.protects = protects;
        this.users = users;
        this.hasher = hasher;
        this.protection = protection;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Optional<User> findById(String userId) {
        return userId == null ? Optional.empty() : users.findById(userId);
    }

    @Override
    public Optional<User> findByEmail(String connection, String email) {
        if (connection == null || email == null) {
            return Optional.empty();
        }
        return users.findByEmail(connection, normaliseEmail(email));
    }

    private final java.util.function.Predicate<String> protects;

    @Override
    public LoginResult login(LoginAttempt attempt) {
        String connection = attempt.connection() == null ? DEFAULT_CONNECTION : attempt.connection();
        String email = attempt.email() == null ? "" : normaliseEmail(attempt.email());
        String ip = attempt.ipAddress() == null ? "unknown" : attempt.ipAddress();
        String subject = BruteForceProtection.subject(connection, email);
        Instant now = clock.instant();

        boolean counted = protects.test(connection);
        BruteForceProtection.Standing standing = counted ? protection.standing(subject, ip, now) : null;
        if (counted && standing.blocked()) {
            // Not logged per attempt: the block itself was logged (limit_wc / limit_mu) when it tripped.
            return new LoginResult.TooManyAttempts(standing.blockedUntil());
        }

        Optional<UserStore.Credentials> found = email.isEmpty() ? Optional.empty()
                : users.credentials(connection, email);
        boolean passwordMatches;
        try {
            passwordMatches = found.isPresent() && found.get().passwordHash() != null
                    ? hasher.verify(attempt.password(), found.get().passwordHash())
                    : hasher.verifyNothing(attempt.password());
        } catch (PasswordHasher.Busy e) {
            // Neither a failure nor a success: nothing is counted, the caller asks the user to retry.
            return new LoginResult.Unavailable();
        }
        if (!passwordMatches) {
            String userId = found.map(c -> c.user().userId()).orElse(null);
            // Auth0: fu = invalid email or username, fp = incorrect password.
            record(attempt, found.isPresent() ? "fp" : "fu", "Wrong email or password.", userId, email,
                    connection, ip);
            if (!counted) {
                return new LoginResult.WrongCredentials();
            }
            BruteForceProtection.Failure failure = protection.recordFailure(subject, ip, now);
            if (failure.pairTripped()) {
                record(attempt, "limit_wc", "Blocked account: " + BruteForceProtection.PAIR_THRESHOLD
                        + " failed login attempts from this IP", userId, email, connection, ip);
            }
            if (failure.ipTripped()) {
                // Auth0's event for an IP blocked across accounts; here its failures are slowed, not refused.
                record(attempt, "limit_mu", "Slowed IP address: " + BruteForceProtection.IP_CEILING
                        + " failed login attempts across accounts", null, null, connection, ip);
            }
            if (failure.blocked()) {
                return new LoginResult.TooManyAttempts(failure.until());
            }
            return new LoginResult.WrongCredentials();
        }

        User user = found.get().user();
        if (counted) {
            protection.recordSuccess(subject, ip, standing);
        }
        if (user.blocked()) {
            record(attempt, "f", "user is blocked", user.userId(), email, connection, ip);
            return new LoginResult.UserBlocked();
        }
        if (hasher.needsRehash(found.get().passwordHash())) {
            try {
                users.rehash(user.userId(), found.get().passwordHash(), hasher.hash(attempt.password()));
            } catch (PasswordHasher.Busy e) {
                // The upgrade waits for a quieter login.
            }
        }
        users.recordLogin(user.userId(), now, ip);
        record(attempt, "s", "Successful login", user.userId(), email, connection, ip);
        return new LoginResult.Success(user.withLogin(now));
    }

    /** Emails are compared lowercased (Auth0 database connections treat them case-insensitively). */
    public static String normaliseEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private void record(LoginAttempt attempt, String type, String description, String userId, String userName,
                        String connection, String ip) {
        Map<String, Object> details = attempt.userAgent() == null ? Map.of()
                : Map.of("user_agent", attempt.userAgent());
        log.record(new LogEvent(type, description, attempt.clientId(), attempt.clientName(), userId, userName, ip,
                connection, details));
    }
}
