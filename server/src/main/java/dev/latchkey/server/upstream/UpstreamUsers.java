package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.Identity;
import dev.latchkey.server.identity.IdentityStore;
import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserStore;
import dev.latchkey.server.store.DuplicateKeyException;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Makes or updates the user an upstream login names, and keeps the provider's tokens in their identity.
 * <p>Rules:
 * <ul>
 *   <li>Auth0: the user id of an enterprise (or {@code oauth2}) connection's user is
 *       {@code <strategy>|<connection>|<subject>}, and its identity's {@code user_id} {@code <connection>|<subject>};
 *       a social preset's user is {@code <strategy>|<subject>} ({@link Identity#userId}).</li>
 *   <li>Auth0: the identity is looked up first: one linked into another user logs that (primary) user in.</li>
 *   <li>A user id made by another connection (possible for the social presets, whose ids do not name the
 *       connection) is never logged into from this one.</li>
 *   <li>Auth0: standard claims take the provider's latest value at every login (name, email, picture...);
 *       {@code user_metadata}, {@code app_metadata} and {@code blocked} are ours and kept.</li>
 *   <li>An upstream login never joins an account it did not create: not by email, verified or not. Linking is
 *       explicit (and never on an unverified email).</li>
 *   <li>OIDC Core §5.7: {@code sub} is at most 255 ASCII characters.</li>
 * </ul>
 */
public final class UpstreamUsers {

    private static final int MAX_SUBJECT = 255;

    private final UserStore users;
    private final IdentityStore identities;
    private final Clock clock;

    public UpstreamUsers(UserStore users, IdentityStore identities, Clock clock) {
        this.users = users;
        this.identities = identities;
        this.clock = clock;
    }

    /**
     * The user as just logged in through {@code connection}, from {@code ip}. An account link or unlink that moves
     * the identity between reading its owner and saving it makes the login start over once, with the new owner.
     */
    public User logIn(Connection connection, OidcUpstream.Login login, String ip) {
        Optional<User> user = attempt(connection, login, ip);
        if (user.isEmpty()) {
            user = attempt(connection, login, ip);
        }
        return user.orElseThrow(() -> new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
                "The account changed while logging in; log in again"));
    }

    /** One try; empty when the identity turned out to be another user's by the time it was saved. */
    private Optional<User> attempt(Connection connection, OidcUpstream.Login login, String ip) {
        String subject = login.subject();
        if (subject.isEmpty() || subject.length() > MAX_SUBJECT || !subject.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
                    "The identity provider's subject is not 1 to 255 printable ASCII characters");
        }
        Map<String, Object> claims = login.claims();
        Instant now = clock.instant();
        String userId = Identity.userId(connection.strategy(), connection.name(), subject);
        Optional<User> holder = users.findByIdentity(connection.name(), subject);
        if (holder.isPresent() && !holder.get().userId().equals(userId)) {
            return logInLinked(holder.get(), connection, login, now, ip);
        }
        String email = text(claims, "email").map(e -> e.toLowerCase(Locale.ROOT)).filter(e -> e.length() <= 320)
                .orElse(null);
        boolean emailVerified = email != null && Boolean.TRUE.equals(claims.get("email_verified"));
        String name = text(claims, "name").orElse(email != null ? email : subject);
        String nickname = text(claims, "nickname").or(() -> text(claims, "preferred_username"))
                .orElse(email != null ? email.substring(0, email.indexOf('@') < 0 ? email.length() : email.indexOf('@'))
                        : subject);
        // A returning user holds their own identity: the row just read is theirs.
        Optional<User> existing = holder.isPresent() ? holder : users.findById(userId);
        if (existing.isPresent() && !existing.get().connection().equals(connection.name())) {
            // The same id from another connection (a social preset's ids do not name theirs): never that account.
            throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE, "The account " + userId
                    + " belongs to another connection than " + connection.name());
        }
        User user;
        try {
            if (existing.isEmpty()) {
                user = new User(userId, connection.name(), email, emailVerified, limit(name, 300),
                        text(claims, "given_name").map(v -> limit(v, 150)).orElse(null),
                        text(claims, "family_name").map(v -> limit(v, 150)).orElse(null), limit(nickname, 300),
                        text(claims, "picture").filter(p -> p.length() <= 2000).orElse(null), Map.of(), Map.of(),
                        false, now, now, null, 0, null, null);
                users.create(user, null);
            } else {
                User old = existing.get();
                user = new User(userId, old.connection(), email, emailVerified, limit(name, 300),
                        text(claims, "given_name").map(v -> limit(v, 150)).orElse(null),
                        text(claims, "family_name").map(v -> limit(v, 150)).orElse(null), limit(nickname, 300),
                        text(claims, "picture").filter(p -> p.length() <= 2000).orElse(null), old.userMetadata(),
                        old.appMetadata(), old.blocked(), old.createdAt(), now, old.lastLogin(), old.loginsCount(),
                        old.phone(), old.address());
                // The profile and the login in one write; a user a link deleted meanwhile is not written, and
                // the identity's save below sends the login to the link's primary.
                users.recordUpstreamLogin(user, now, ip, !user.blocked());
            }
        } catch (DuplicateKeyException e) {
            throw new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE,
                    "Another user of this connection already has the email the identity provider gives");
        }
        if (!identities.save(new Identity(connection.name(), subject, userId, connection.strategy(), claims,
                login.accessToken(), login.refreshToken(), login.expiresIn(), now))) {
            return Optional.empty();
        }
        if (user.blocked()) {
            return Optional.of(user);
        }
        if (existing.isEmpty()) {
            users.recordLogin(userId, now, ip);
        }
        return Optional.of(user.withLogin(now));
    }

    /**
     * Auth0: a login through an identity linked into another user logs that user in; the provider's claims and
     * tokens go to the identity ({@code profileData}), the primary's profile stays its own.
     */
    private Optional<User> logInLinked(User primary, Connection connection, OidcUpstream.Login login, Instant now,
                                       String ip) {
        if (!identities.save(new Identity(connection.name(), login.subject(), primary.userId(), connection.strategy(),
                login.claims(), login.accessToken(), login.refreshToken(), login.expiresIn(), now))) {
            return Optional.empty();
        }
        if (primary.blocked()) {
            return Optional.of(primary);
        }
        users.recordLogin(primary.userId(), now, ip);
        return Optional.of(primary.withLogin(now));
    }

    private static Optional<String> text(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String value && !value.isBlank() ? Optional.of(value.strip())
                : Optional.empty();
    }

    private static String limit(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
