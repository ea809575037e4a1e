package dev.latchkey.server.token;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.keys.TimeOrderedIds;

import java.time.Instant;

/**
 * A refresh token about to be stored as the successor of an exchanged one: its value for the client,
 * and what is stored of it. Family, authorization, scope and absolute expiry come from the exchanged
 * token; {@code idleExpiresAt} (null for none) restarts with it (Auth0 §4.2).
 */
public record NewRefreshToken(String value, String id, String tokenHash, boolean rotating, Instant idleExpiresAt) {

    public static NewRefreshToken generate(boolean rotating, Instant idleExpiresAt) {
        String value = RandomStrings.base64url(32);
        String id = TimeOrderedIds.next("rt_", RandomStrings.alphanumeric(24));
        return new NewRefreshToken(value, id, SecretHash.of(value), rotating, idleExpiresAt);
    }

    @Override
    public String toString() {
        return "NewRefreshToken[id=" + id + "]";
    }
}
