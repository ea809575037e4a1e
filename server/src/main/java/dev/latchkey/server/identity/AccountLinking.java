package dev.latchkey.server.identity;

import dev.latchkey.server.identity.AccountLinkException.Problem;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Links users' accounts and unlinks them (Auth0 "Link a user account", "Unlink a user identity"). A link is checked
 * in this order: the primary exists → the secondary exists → they differ → the secondary is not blocked → the
 * secondary has no identities linked into it; then the secondary's grants are revoked and the store moves its
 * identities and deletes it in one transaction, which re-checks the last three.
 * <p>Rules:
 * <ul>
 *   <li>Auth0: the primary keeps its {@code user_id}, profile, {@code user_metadata}, {@code app_metadata}, roles
 *       and permissions; the secondary's identities join the primary's {@code identities[]} with its attributes
 *       in {@code profileData}; its metadata is discarded, not merged; the secondary user is removed.</li>
 *   <li>Auth0: a login through a linked identity logs the primary in. A database secondary's identity keeps its
 *       email and password hash, so its password logs the primary in.</li>
 *   <li>Auth0: unlinking removes the identity from the primary and creates a user of it again, without metadata;
 *       the primary's own (first) identity cannot be unlinked.</li>
 *   <li>A secondary that other identities are linked into is refused (unlink those first), so that linking never
 *       re-parents a third user's identities silently; so is an identity already linked into another user.</li>
 *   <li>A blocked secondary is refused: linking would let the blocked account log in as the primary. A blocked
 *       primary may receive identities; logins through them stay refused while it is blocked.</li>
 *   <li>Linking happens only when asked: never on a matching email, verified or not.</li>
 *   <li>Deleting the secondary revokes everything issued to it first, as a user deletion does: the transaction
 *       deletes the secondary's authorizations, after which a revocation would find none to announce, and every
 *       node would keep accepting the tokens it holds in memory. A link refused by the transaction (a race lost)
 *       has therefore logged the secondary out; it fails closed.</li>
 * </ul>
 */
public final class AccountLinking {

    private final UserAccounts accounts;
    private final UserStore users;
    private final IdentityStore identities;
    private final AccountLinkStore links;
    private final ConnectionStore connections;
    private final Consumer<String> revokeAccess;
    private final Clock clock;

    /** @param revokeAccess revokes every authorization of a user (with its opaque and refresh tokens) */
    public AccountLinking(UserAccounts accounts, UserStore users, IdentityStore identities, AccountLinkStore links,
                          ConnectionStore connections, Consumer<String> revokeAccess, Clock clock) {
        this.accounts = accounts;
        this.users = users;
        this.identities = identities;
        this.links = links;
        this.connections = connections;
        this.revokeAccess = revokeAccess;
        this.clock = clock;
    }

    /**
     * The user Auth0's {@code provider} and {@code user_id} name: the id after {@code <provider>|}, or the whole
     * user id; {@code connectionId}, when given, must be that user's connection's.
     */
    public String secondaryId(String provider, String userId, String connectionId) {
        if (!Identity.DATABASE_PROVIDER.equals(provider)
                && connections.list().stream().noneMatch(c -> c.strategy().equals(provider))) {
            throw new AccountLinkException(Problem.UNKNOWN_PROVIDER,
                    "No connection here has the provider " + provider);
        }
        String candidate = userId.startsWith(provider + "|") ? userId : provider + "|" + userId;
        Optional<User> user = users.findById(candidate);
        if (user.isEmpty()) {
            if (linkedIdentity(provider, candidate.substring(provider.length() + 1)).isPresent()) {
                throw new AccountLinkException(Problem.ALREADY_LINKED,
                        "The identity is already linked to another user; unlink it first");
            }
            throw secondaryNotFound();
        }
        if (connectionId != null && connections.findById(connectionId)
                .filter(c -> c.name().equals(user.get().connection())).isEmpty()) {
            throw secondaryNotFound();
        }
        return candidate;
    }

    /** Links {@code secondaryId} into {@code primaryId}; answers the primary's identities. */
    public List<Identity> link(String primaryId, String secondaryId) {
        User primary = users.findById(primaryId).orElseThrow(AccountLinking::primaryNotFound);
        if (primaryId.equals(secondaryId)) {
            throw new AccountLinkException(Problem.SAME_USER, "A user cannot be linked to itself");
        }
        User secondary = users.findById(secondaryId).orElseThrow(AccountLinking::secondaryNotFound);
        if (secondary.blocked()) {
            throw new AccountLinkException(Problem.SECONDARY_BLOCKED,
                    "The secondary user is blocked; unblock it before linking it");
        }
        if (accounts.identities(secondary).size() > 1) {
            throw secondaryHasLinks();
        }
        revokeAccess.accept(secondaryId);
        Instant now = clock.instant();
        switch (links.link(primaryId, secondaryId, profileData(secondary), now)) {
            case DONE -> {
            }
            case PRIMARY_GONE -> throw primaryNotFound();
            case SECONDARY_HAS_LINKS -> throw secondaryHasLinks();
            case SECONDARY_BLOCKED -> throw new AccountLinkException(Problem.SECONDARY_BLOCKED,
                    "The secondary user is blocked; unblock it before linking it");
            default -> throw secondaryNotFound();
        }
        return accounts.identities(primary);
    }

    /**
     * Unlinks the identity Auth0's {@code provider} and {@code user_id} name (its {@code identities[].user_id}, or
     * that with {@code <provider>|} before it) from {@code primaryId}; answers the primary's remaining identities.
     */
    public List<Identity> unlink(String primaryId, String provider, String userId) {
        User primary = users.findById(primaryId).orElseThrow(AccountLinking::primaryNotFound);
        List<Identity> held = accounts.identities(primary);
        Identity identity = held.stream()
                .filter(i -> i.provider().equals(provider)
                        && (i.idWithinProvider().equals(userId) || i.ownUserId().equals(userId)))
                .findFirst().orElseThrow(() -> new AccountLinkException(Problem.IDENTITY_NOT_FOUND,
                        "The user has no such identity"));
        if (identity.isMainOf(primaryId)) {
            throw new AccountLinkException(Problem.MAIN_IDENTITY,
                    "The user's main identity cannot be unlinked; unlink the others from it instead");
        }
        switch (links.unlink(primaryId, identity, restored(identity))) {
            case DONE -> {
            }
            case PRIMARY_GONE -> throw primaryNotFound();
            case DUPLICATE -> throw new AccountLinkException(Problem.DUPLICATE,
                    "A user with the identity's id or email already exists in its connection");
            default -> throw new AccountLinkException(Problem.IDENTITY_NOT_FOUND, "The user has no such identity");
        }
        return accounts.identities(primary);
    }

    /** The identity {@code provider} and {@code idWithinProvider} name, held by a user whose own it is not. */
    private Optional<Identity> linkedIdentity(String provider, String idWithinProvider) {
        List<String[]> places;
        if (Identity.DATABASE_PROVIDER.equals(provider)) {
            places = connections.list().stream().filter(c -> !c.upstream())
                    .map(c -> new String[] {c.name(), idWithinProvider}).toList();
        } else {
            int bar = idWithinProvider.indexOf('|');
            places = bar < 0 ? List.of() : List.<String[]>of(new String[] {idWithinProvider.substring(0, bar),
                    idWithinProvider.substring(bar + 1)});
        }
        return places.stream().flatMap(place -> identities.find(place[0], place[1]).stream())
                .filter(i -> i.provider().equals(provider) && !i.isMainOf(i.userId())).findFirst();
    }

    /** Auth0: a linked identity's {@code profileData} holds the secondary's attributes. */
    private static Map<String, Object> profileData(User user) {
        Map<String, Object> profile = new LinkedHashMap<>();
        putIfPresent(profile, "email", user.email());
        if (user.email() != null) {
            profile.put("email_verified", user.emailVerified());
        }
        putIfPresent(profile, "name", user.name());
        putIfPresent(profile, "given_name", user.givenName());
        putIfPresent(profile, "family_name", user.familyName());
        putIfPresent(profile, "nickname", user.nickname());
        putIfPresent(profile, "picture", user.picture());
        if (user.phone() != null) {
            profile.put("phone_number", user.phone().number());
            profile.put("phone_verified", user.phone().verified());
        }
        return profile;
    }

    /** Auth0: the user an unlinked identity becomes again, from its profile data, with no metadata. */
    private User restored(Identity identity) {
        Map<String, Object> profile = identity.profileData();
        Instant now = clock.instant();
        String email = text(profile, "email");
        String name = Optional.ofNullable(text(profile, "name")).orElse(email != null ? email : identity.subject());
        String nickname = Optional.ofNullable(text(profile, "nickname"))
                .or(() -> Optional.ofNullable(text(profile, "preferred_username")))
                .orElse(email != null && email.indexOf('@') > 0 ? email.substring(0, email.indexOf('@')) : name);
        Phone phone = text(profile, "phone_number") == null ? null
                : new Phone(text(profile, "phone_number"), Boolean.TRUE.equals(profile.get("phone_verified")));
        return new User(identity.ownUserId(), identity.connection(), email,
                email != null && Boolean.TRUE.equals(profile.get("email_verified")), name,
                text(profile, "given_name"), text(profile, "family_name"), nickname, text(profile, "picture"),
                Map.of(), Map.of(), false, now, now, null, 0, phone, null);
    }

    private static String text(Map<String, Object> profile, String name) {
        return profile.get(name) instanceof String value && !value.isBlank() ? value : null;
    }

    private static void putIfPresent(Map<String, Object> map, String name, String value) {
        if (value != null) {
            map.put(name, value);
        }
    }

    private static AccountLinkException primaryNotFound() {
        return new AccountLinkException(Problem.PRIMARY_NOT_FOUND, "The user does not exist.");
    }

    private static AccountLinkException secondaryNotFound() {
        return new AccountLinkException(Problem.SECONDARY_NOT_FOUND, "The secondary user does not exist.");
    }

    private static AccountLinkException secondaryHasLinks() {
        return new AccountLinkException(Problem.SECONDARY_HAS_LINKS,
                "The secondary user has identities linked to it; unlink them before linking it");
    }
}
