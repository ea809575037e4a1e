package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.Map;

/**
 * A user of a database connection; {@code userId} like {@code auth0|<24 hex>}. Never carries the
 * password hash: that stays in the store. {@code phone} and {@code address} are null when unknown.
 */
public record User(
        String userId, String connection, String email, boolean emailVerified,
        String name, String givenName, String familyName, String nickname, String picture,
        Map<String, Object> userMetadata, Map<String, Object> appMetadata,
        boolean blocked, Instant createdAt, Instant updatedAt, Instant lastLogin, int loginsCount,
        Phone phone, PostalAddress address) {

    /** The prefix of every database-connection user id (Auth0: {@code auth0|...}). */
    public static final String ID_PREFIX = "auth0|";

    public User {
        userMetadata = userMetadata == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(userMetadata));
        appMetadata = appMetadata == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(appMetadata));
    }

    /** This user as just logged in at {@code at}. */
    public User withLogin(Instant at) {
        return new User(userId, connection, email, emailVerified, name, givenName, familyName, nickname, picture,
                userMetadata, appMetadata, blocked, createdAt, updatedAt, at, loginsCount + 1, phone, address);
    }

    /** The id within the connection: {@code user_id} without the {@code auth0|} prefix (Auth0 identities[]). */
    public String idWithinConnection() {
        return userId.startsWith(ID_PREFIX) ? userId.substring(ID_PREFIX.length()) : userId;
    }
}
