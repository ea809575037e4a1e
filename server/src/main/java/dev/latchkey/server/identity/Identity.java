package dev.latchkey.server.identity;

import java.time.Instant;
import java.util.Map;

/**
 * A user's account at an upstream provider (one element of Auth0's {@code identities[]}): {@code subject} is
 * the provider's id for them, {@code profileData} the claims it gave at the last login, and
 * {@code accessToken}, {@code refreshToken} (either may be null) and {@code expiresIn} the provider's tokens
 * (Auth0 §6), sealed at rest and shown only to Management API callers holding {@code read:user_idp_tokens}.
 */
public record Identity(String connection, String subject, String userId, String provider,
                       Map<String, Object> profileData, String accessToken, String refreshToken, Long expiresIn,
                       Instant updatedAt) {

    public Identity {
        profileData = profileData == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profileData));
    }

    /** Auth0's {@code identities[].user_id} of an enterprise connection: {@code <connection>|<subject>}. */
    public String idWithinProvider() {
        return connection + "|" + subject;
    }

    @Override
    public String toString() {
        return "Identity[" + provider + ", " + connection + ", " + userId + "]";
    }
}
