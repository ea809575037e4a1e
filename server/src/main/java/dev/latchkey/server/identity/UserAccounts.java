package dev.latchkey.server.identity;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.store.DuplicateKeyException;
import dev.latchkey.server.store.Page;
import dev.latchkey.server.store.PageRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Creating, changing and removing users of database connections, with the rules Auth0 applies:
 * the connection must exist, emails are unique per connection (case-insensitively), passwords meet
 * the {@link PasswordPolicy} and are stored as Argon2id, imported bcrypt hashes are kept until the
 * next login re-hashes them.
 */
public final class UserAccounts {

    /** Deliberately loose (RFC 5321 allows far more than most validators): one @, no spaces, a dot after it. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.\\-]{1,50}");
    /** bcrypt costs above this would let an imported hash stall logins (2^17 rounds is seconds). */
    private static final int MAX_BCRYPT_COST = 16;

    private final UserStore users;
    private final ConnectionStore connections;
    private final PasswordHasher hasher;
    private final BruteForceProtection protection;
    private final Consumer<String> revokeAccess;
    private final Clock clock;
    private final IdentityStore identities;

    /**
     * @param revokeAccess revokes every authorization of a user (with its opaque and refresh tokens)
     *                     when the user is blocked, gets a new password or is deleted
     */
    public UserAccounts(UserStore users, ConnectionStore connections, PasswordHasher hasher,
                        BruteForceProtection protection, Consumer<String> revokeAccess, Clock clock,
                        IdentityStore identities) {
        this.users = users;
        this.connections = connections;
        this.hasher = hasher;
        this.protection = protection;
        this.revokeAccess = revokeAccess;
        this.clock = clock;
        this.identities = identities;
    }

    /**
     * The user's identities (Auth0 {@code identities[]}), their own first, then those linked into them; an upstream
     * provider's with its tokens.
     */
    public List<Identity> identities(User user) {
        return Identity.ofUser(user, identities.ofUser(user.userId()));
    }

    /** The identities of each of {@code users} (a page of them), read at once. */
    public Map<String, List<Identity>> identities(Collection<User> users) {
        Map<String, List<Identity>> rows = identities.ofUsers(users.stream().map(User::userId).toList());
        Map<String, List<Identity>> byUser = new HashMap<>();
        users.forEach(user -> byUser.put(user.userId(), Identity.ofUser(user, rows.getOrDefault(user.userId(),
                List.of()))));
        return byUser;
    }

    public User create(NewUser request) {
        Connection connection = databaseConnection(request.connection());
        String passwordHash = passwordHash(request.password(), request.passwordHash(),
                PasswordPolicy.of(connection.options()));
        User user = profile(request, connection);
        try {
            users.create(user, passwordHash);
        } catch (DuplicateKeyException e) {
            throw UserAccountException.duplicate();
        }
        return user;
    }

    /**
     * The user {@code request} describes in {@code connection}, checked and with Auth0's defaults, not
     * stored (the password fields of {@code request} are not read): for bulk imports.
     * @throws UserAccountException INVALID when a field is not acceptable
     */
    public User profile(NewUser request, Connection connection) {
        String email = email(request.email());
        String id = request.id() == null ? RandomStrings.hex(24) : request.id();
        if (!ID.matcher(id).matches()) {
            throw invalid("user_id may hold 1 to 50 letters, digits, '_', '.' and '-'");
        }
        Instant now = clock.instant();
        return new User(User.ID_PREFIX + id, connection.name(), email, request.emailVerified(),
                request.name() == null ? email : request.name(), request.givenName(), request.familyName(),
                request.nickname() == null ? email.substring(0, email.indexOf('@')) : request.nickname(),
                request.picture() == null ? defaultPicture(email) : request.picture(),
                withoutNulls(request.userMetadata()), withoutNulls(request.appMetadata()), request.blocked(),
                now, now, null, 0, phone(request.phone()), address(request.address()));
    }

    public Optional<User> find(String userId) {
        return users.findById(userId);
    }

    /** @throws UserQuery.Unsupported when the store cannot run the query */
    public Page<User> list(UserQuery query, UserSort sort, PageRequest page) {
        return users.list(query, sort, page);
    }

    /** Users with this email in any connection (Auth0 {@code users-by-email}). */
    public List<User> findByEmail(String email) {
        String normalised = DatabaseUserDirectory.normaliseEmail(email);
        return users.list(UserQuery.emailIs(normalised), UserSort.DEFAULT, new PageRequest(0, 100, false)).items();
    }

    public User update(String userId, UserChanges changes) {
        User existing = users.findById(userId).orElseThrow(UserAccountException::notFound);
        String email = changes.email() == null ? existing.email() : email(changes.email());
        boolean emailChanged = !java.util.Objects.equals(email, existing.email());
        String newHash = null;
        if (changes.password() != null) {
            // Auth0: the password policy of the user's connection.
            PasswordPolicy policy = connections.findByName(existing.connection()).filter(c -> !c.upstream())
                    .map(c -> PasswordPolicy.of(c.options())).orElseThrow(() -> invalid(
                            "The password of a user of an upstream identity provider cannot be set here"));
            newHash = passwordHash(changes.password(), null, policy);
        }
        Instant now = clock.instant();
        User updated = new User(existing.userId(), existing.connection(), email,
                // Auth0: a new email is unverified unless the same request says otherwise.
                changes.emailVerified() != null ? changes.emailVerified() : !emailChanged && existing.emailVerified(),
                or(changes.name(), existing.name()), or(changes.givenName(), existing.givenName()),
                or(changes.familyName(), existing.familyName()), or(changes.nickname(), existing.nickname()),
                or(changes.picture(), existing.picture()),
                merge(existing.userMetadata(), changes.userMetadata()),
                merge(existing.appMetadata(), changes.appMetadata()),
                changes.blocked() != null ? changes.blocked() : existing.blocked(),
                existing.createdAt(), now, existing.lastLogin(), existing.loginsCount(),
                phone(existing.phone(), changes.phoneNumber(), changes.phoneVerified()),
                changes.address() == null ? existing.address() : address(changes.address()));
        try {
            users.update(updated);
        } catch (DuplicateKeyException e) {
            throw UserAccountException.duplicate();
        }
        if (newHash != null) {
            users.updatePasswordHash(userId, newHash, now);
            // Auth0: a password change lifts brute-force blocks on the account.
            protection.unblock(existing.connection(), existing.email());
        }
        if (newHash != null || (updated.blocked() && !existing.blocked())) {
            // OWASP Session Management: a password change or a block ends the sessions, refresh and
            // opaque tokens the user already holds; their JWT access tokens read as inactive at
            // introspection and otherwise run out.
            revokeAccess.accept(userId);
            users.endAccess(userId);
        }
        return updated;
    }

    /**
     * Deletes the user with their authorizations, sessions, opaque and refresh tokens, consents, codes
     * and login transactions.
     */
    public boolean delete(String userId) {
        revokeAccess.accept(userId);
        return users.delete(userId);
    }

    /** The IPs brute-force protection blocks for this user. */
    public List<String> blockedIps(User user) {
        return protection.blockedIps(user.connection(), user.email());
    }

    /** Lifts every brute-force block of the user (Auth0 {@code DELETE /api/v2/user-blocks/{id}}). */
    public void unblock(User user) {
        protection.unblock(user.connection(), user.email());
    }

    /** Blocks by email (Auth0's {@code identifier}) in every database connection. */
    public List<Blocked> blocksByIdentifier(String identifier) {
        String email = DatabaseUserDirectory.normaliseEmail(identifier);
        return connections.list().stream()
                .flatMap(c -> protection.blockedIps(c.name(), email).stream().map(ip -> new Blocked(email, ip, c.name())))
                .toList();
    }

    public void unblockByIdentifier(String identifier) {
        String email = DatabaseUserDirectory.normaliseEmail(identifier);
        connections.list().forEach(c -> protection.unblock(c.name(), email));
    }

    /** One blocked account and IP pair, in Auth0's {@code blocked_for} terms. */
    public record Blocked(String identifier, String ip, String connection) {
    }

    private Connection databaseConnection(String name) {
        if (name == null) {
            throw invalid("Missing required property: connection");
        }
        Connection connection = connections.findByName(name).orElseThrow(() ->
                new UserAccountException(UserAccountException.Problem.UNKNOWN_CONNECTION,
                        "The connection does not exist."));
        if (!Connection.DATABASE_STRATEGY.equals(connection.strategy())) {
            throw invalid("The connection " + name + " is not a database connection");
        }
        return connection;
    }

    private static String email(String value) {
        if (value == null) {
            throw invalid("Missing required property: email");
        }
        String email = DatabaseUserDirectory.normaliseEmail(value);
        if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
            throw invalid("Object didn't pass validation for format email: " + value);
        }
        return email;
    }

    private String passwordHash(String password, String imported, PasswordPolicy policy) {
        if (password != null && imported != null) {
            throw invalid("Give either password or password_hash, not both");
        }
        if (imported != null) {
            if (!PasswordHasher.isBcrypt(imported)) {
                throw invalid("password_hash must be a bcrypt hash ($2a$, $2b$ or $2y$)");
            }
            int cost = Integer.parseInt(imported.substring(4, 6));
            if (cost < 4 || cost > MAX_BCRYPT_COST) {
                throw invalid("The bcrypt cost of password_hash must be between 4 and " + MAX_BCRYPT_COST);
            }
            return imported;
        }
        if (password == null) {
            throw invalid("Missing required property: password");
        }
        policy.check(password).ifPresent(message -> {
            throw new UserAccountException(UserAccountException.Problem.WEAK_PASSWORD, message);
        });
        try {
            return hasher.hash(password);
        } catch (PasswordHasher.Busy e) {
            throw new UserAccountException(UserAccountException.Problem.BUSY, e.getMessage());
        }
    }

    private static UserAccountException invalid(String message) {
        return new UserAccountException(UserAccountException.Problem.INVALID, message);
    }

    private static Phone phone(Phone phone) {
        if (phone != null && !Phone.valid(phone.number())) {
            throw invalid("phone_number must be in E.164 format, e.g. +14155550100");
        }
        return phone;
    }

    /** Like an email (Auth0), a new phone number is unverified unless the same change says otherwise. */
    private static Phone phone(Phone existing, String number, Boolean verified) {
        if (number == null && verified == null) {
            return existing;
        }
        if (number == null && existing == null) {
            throw invalid("phone_verified needs a phone_number");
        }
        String newNumber = number == null ? existing.number() : number;
        boolean kept = existing != null && existing.number().equals(newNumber) && existing.verified();
        return phone(new Phone(newNumber, verified != null ? verified : kept));
    }

    /** An address without any value is no address. */
    private static PostalAddress address(PostalAddress address) {
        return address == null ? null : PostalAddress.of(address.members());
    }

    private static String or(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static Map<String, Object> merge(Map<String, Object> stored, Map<String, Object> patch) {
        if (patch == null) {
            return stored;
        }
        Map<String, Object> merged = new LinkedHashMap<>(stored);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        return map == null ? Map.of() : merge(Map.of(), map);
    }

    /** Auth0's default picture: Gravatar for the email, falling back to an initials avatar. */
    private static String defaultPicture(String email) {
        String initials = email.substring(0, Math.min(2, email.indexOf('@'))).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "");
        if (initials.isEmpty()) {
            initials = "default";
        }
        return "https://s.gravatar.com/avatar/" + md5(email) + "?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2F"
                + initials + ".png";
    }

    private static String md5(String text) {
        try {
            // Gravatar's address scheme, not a security use.
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
