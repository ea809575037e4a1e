package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.Map;

/** A user of a database connection; user_id like "auth0|<24 hex>". */
public record User(
    String userId, String connection, String email, boolean emailVerified,
    String name, String givenName, String familyName, String nickname, String picture,
    Map<String, Object> userMetadata, Map<String, Object> appMetadata,
    boolean blocked, Instant createdAt, Instant updatedAt, Instant lastLogin, int loginsCount) {}
