package dev.latchkey.server.upstream;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;

import java.util.Map;

/**
 * What Sign in with Apple says of a user beyond standard claims:
 * <ul>
 *   <li>the name comes only once, at the user's first authorization, in the form field {@code user}
 *       ({@code {"name":{"firstName":..,"lastName":..},"email":..}}), which nothing signs: only the name is taken
 *       from it, and only where the ID token has none; the email is the ID token's;</li>
 *   <li>{@code email_verified} may be the string {@code "true"} rather than a boolean.</li>
 * </ul>
 */
final class AppleProfile {

    /** Longer than any name Apple sends; a longer field is ignored unread. */
    private static final int MAX_USER_FIELD = 2000;
    private static final int MAX_NAME = 100;

    private AppleProfile() {
    }

    /** Adds to {@code claims} what Apple's posted {@code user} field (null: none) and its ID token say. */
    static void complete(Map<String, Object> claims, String userField) {
        if ("true".equals(claims.get("email_verified"))) {
            claims.put("email_verified", true);
        }
        if (userField == null || userField.length() > MAX_USER_FIELD) {
            return;
        }
        Map<String, Object> name;
        try {
            name = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(userField), "name", null);
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            return;
        }
        if (name == null) {
            return;
        }
        String given = text(name.get("firstName"));
        String family = text(name.get("lastName"));
        if (given != null) {
            claims.putIfAbsent("given_name", given);
        }
        if (family != null) {
            claims.putIfAbsent("family_name", family);
        }
        if (given != null || family != null) {
            claims.putIfAbsent("name", given == null ? family : family == null ? given : given + " " + family);
        }
    }

    private static String text(Object value) {
        return value instanceof String text && !text.isBlank() && text.length() <= MAX_NAME ? text.strip() : null;
    }
}
