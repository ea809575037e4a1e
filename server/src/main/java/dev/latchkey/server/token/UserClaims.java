package dev.latchkey.server.token;

import dev.latchkey.server.identity.User;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard claims a user's granted scopes release (OIDC Core §5.4), for ID tokens and
 * /userinfo alike. Absent values are left out, never sent as null.
 */
public final class UserClaims {

    private UserClaims() {
    }

    public static Map<String, Object> of(User user, Collection<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains("profile")) {
            put(claims, "name", user.name());
            put(claims, "given_name", user.givenName());
            put(claims, "family_name", user.familyName());
            put(claims, "nickname", user.nickname());
            put(claims, "picture", user.picture());
            if (user.updatedAt() != null) {
                // OIDC Core §5.1: a JSON number of seconds since the epoch. Auth0 sends an ISO 8601
                // string here, which standard clients reject; the Management API keeps Auth0's string.
                claims.put("updated_at", user.updatedAt().getEpochSecond());
            }
        }
        if (scopes.contains("email")) {
            put(claims, "email", user.email());
            if (user.email() != null) {
                claims.put("email_verified", user.emailVerified());
            }
        }
        if (scopes.contains("address") && user.address() != null) {
            // OIDC Core §5.1.1: a JSON object of the members that have a value.
            claims.put("address", user.address().members());
        }
        if (scopes.contains("phone") && user.phone() != null) {
            claims.put("phone_number", user.phone().number());
            claims.put("phone_verified", user.phone().verified());
        }
        return claims;
    }

    private static void put(Map<String, Object> claims, String name, String value) {
        if (value != null && !value.isEmpty()) {
            claims.put(name, value);
        }
    }
}
