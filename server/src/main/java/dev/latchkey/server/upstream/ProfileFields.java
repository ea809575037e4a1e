package dev.latchkey.server.upstream;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OAuth 2.0 provider's profile JSON read as Auth0's normalized profile, by a declarative map where Auth0 runs
 * a {@code fetchUserProfile} script: {@code fieldsMap} names, for each attribute, a dotted path into the JSON
 * ({@code "picture": "picture.data.url"}).
 * <p>Rules:
 * <ul>
 *   <li>An attribute left out of the map is read at its own name ({@code email} at {@code email}); the user id,
 *       when not mapped, at {@code sub}, else {@code id}, else {@code user_id}.</li>
 *   <li>The user id is a non-empty string or an integer (GitHub's and Facebook's numeric ids become their
 *       decimal string); anything else, or none, refuses the login.</li>
 *   <li>Text attributes are taken only when they are strings; {@code email_verified} only when the provider
 *       gives the boolean {@code true} (never inferred).</li>
 *   <li>{@code profileData} keeps the provider's own top-level strings, numbers and booleans (at most
 *       {@value #MAX_RAW} of them, strings of at most {@value #MAX_RAW_TEXT} characters), with the mapped
 *       attributes over them: what the provider says of the attributes counts only through the map.</li>
 * </ul>
 */
final class ProfileFields {

    static final int MAX_RAW = 100;
    static final int MAX_RAW_TEXT = 2000;
    private static final List<String> TEXT = List.of("email", "name", "given_name", "family_name", "nickname",
            "picture");
    private static final Set<String> ATTRIBUTES = Set.of("user_id", "email", "email_verified", "name",
            "given_name", "family_name", "nickname", "picture");
    private static final List<String> DEFAULT_ID_PATHS = List.of("sub", "id", "user_id");

    private final Map<String, String> paths;

    ProfileFields(Map<?, ?> fieldsMap) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (fieldsMap != null) {
            fieldsMap.forEach((attribute, path) -> copy.put(String.valueOf(attribute), String.valueOf(path)));
        }
        this.paths = Map.copyOf(copy);
    }

    /** The provider's id for the user. @throws UpstreamException when there is none, or not a string or integer */
    String subject(Map<String, Object> profile) {
        List<String> candidates = paths.containsKey("user_id") ? List.of(paths.get("user_id")) : DEFAULT_ID_PATHS;
        for (String path : candidates) {
            Object value = at(profile, path);
            if (value == null) {
                continue;
            }
            if (value instanceof String text && !text.isBlank()) {
                return text;
            }
            if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
                return value.toString();
            }
            throw invalid("The identity provider's user id (" + path + ") is neither a string nor an integer");
        }
        throw invalid("The identity provider's profile has no user id (" + String.join(" or ", candidates) + ")");
    }

    /** The normalized attributes over the provider's own top-level values: the identity's profile data. */
    Map<String, Object> claims(Map<String, Object> profile) {
        Map<String, Object> claims = new LinkedHashMap<>();
        profile.forEach((name, value) -> {
            if (claims.size() < MAX_RAW && !ATTRIBUTES.contains(name) && (value instanceof Number
                    || value instanceof Boolean || (value instanceof String text && text.length() <= MAX_RAW_TEXT))) {
                claims.put(name, value);
            }
        });
        for (String attribute : TEXT) {
            if (at(profile, paths.getOrDefault(attribute, attribute)) instanceof String text && !text.isBlank()) {
                claims.put(attribute, text);
            }
        }
        if (Boolean.TRUE.equals(at(profile, paths.getOrDefault("email_verified", "email_verified")))) {
            claims.put("email_verified", true);
        }
        return claims;
    }

    /** The value at a dotted path of nested objects, or null. */
    private static Object at(Map<String, Object> profile, String path) {
        Object current = profile;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> object)) {
                return null;
            }
            current = object.get(step);
        }
        return current;
    }

    private static UpstreamException invalid(String message) {
        return new UpstreamException(UpstreamException.Reason.INVALID_RESPONSE, message);
    }
}
