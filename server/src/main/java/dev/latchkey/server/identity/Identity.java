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

    /**
     * Auth0's {@code identities[].user_id}: the provider's id alone for a social preset ({@link SocialStrategy}),
     * {@code <connection>|<subject>} for an enterprise or custom social ({@code oauth2}) connection.
     */
    public String idWithinProvider() {
        return SocialStrategy.of(provider).isPresent() ? subject : connection + "|" + subject;
    }

    /** Auth0's {@code identities[].isSocial}. */
    public boolean social() {
        return SocialStrategy.social(provider);
    }

    /** Auth0's {@code user_id} of the user a login through {@code connection} makes: {@code <strategy>|<idWithinProvider>}. */
    public static String userId(String strategy, String connection, String subject) {
        return strategy + "|" + (SocialStrategy.of(strategy).isPresent() ? subject : connection + "|" + subject);
    }

    @Override
    public String toString() {
        return "Identity[" + provider + ", " + connection + ", " + userId + "]";
    }
}
