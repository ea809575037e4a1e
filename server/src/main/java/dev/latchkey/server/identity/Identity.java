package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A user's account at an upstream provider (one element of Auth0's {@code identities[]}): {@code subject} is
 * the provider's id for them, {@code profileData} the claims it gave at the last login, and
 * {@code accessToken}, {@code refreshToken} (either may be null) and {@code expiresIn} the provider's tokens
 * (Auth0 §6), sealed at rest and shown only to Management API callers holding {@code read:user_idp_tokens}.
 * An identity whose {@link #ownUserId()} is not its {@code userId} was linked into that user (account linking),
 * a database user's among them (provider {@code auth0}).
 */
public record Identity(String connection, String subject, String userId, String provider,
                       Map<String, Object> profileData, String accessToken, String refreshToken, Long expiresIn,
                       Instant updatedAt) {

    /** Auth0's provider of a database connection's identities. */
    public static final String DATABASE_PROVIDER = "auth0";

    public Identity {
        profileData = profileData == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profileData));
    }

    /**
     * Auth0's {@code identities[].user_id}: the subject alone for a database connection's (provider
     * {@code auth0}) identity and for a social preset's ({@link SocialStrategy}), {@code <connection>|<subject>}
     * for an enterprise or custom social ({@code oauth2}) connection.
     */
    public String idWithinProvider() {
        return DATABASE_PROVIDER.equals(provider) || SocialStrategy.of(provider).isPresent() ? subject
                : connection + "|" + subject;
    }

    /** Auth0's {@code identities[].isSocial}. */
    public boolean social() {
        return SocialStrategy.social(provider);
    }

    /** Auth0's {@code user_id} of the user a login through {@code connection} makes: {@code <strategy>|<idWithinProvider>}. */
    public static String userId(String strategy, String connection, String subject) {
        return strategy + "|" + (SocialStrategy.of(strategy).isPresent() ? subject : connection + "|" + subject);
    }

    /** The user id this identity has as a user of its own: {@code <provider>|<id within the provider>}. */
    public String ownUserId() {
        return provider + "|" + idWithinProvider();
    }

    /** Whether this identity is its user's own (main) identity rather than one linked into it. */
    public boolean isMainOf(String user) {
        return ownUserId().equals(user);
    }

    /** A database user's own identity: it has no row of its own, the user's row holds it. */
    public static Identity databaseIdentityOf(User user) {
        return new Identity(user.connection(), user.idWithinConnection(), user.userId(), DATABASE_PROVIDER, Map.of(),
                null, null, null, user.updatedAt());
    }

    /** {@code user}'s identities from their {@code rows}, their own first (Auth0: {@code identities[0]}). */
    public static List<Identity> ofUser(User user, List<Identity> rows) {
        List<Identity> ordered = new ArrayList<>(rows.size() + 1);
        rows.stream().filter(row -> row.isMainOf(user.userId())).forEach(ordered::add);
        if (ordered.isEmpty() && user.userId().startsWith(User.ID_PREFIX)) {
            ordered.add(databaseIdentityOf(user));
        }
        rows.stream().filter(row -> !row.isMainOf(user.userId())).forEach(ordered::add);
        return ordered;
    }

    @Override
    public String toString() {
        return "Identity[" + provider + ", " + connection + ", " + userId + "]";
    }
}
