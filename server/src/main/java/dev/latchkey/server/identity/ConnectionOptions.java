package dev.latchkey.server.identity;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a connection's {@code options} in Auth0's names for its strategy, and takes the client secret out of
 * them (it is sealed apart). Options not named here are kept as given and have no effect.
 * <p>Rules:
 * <ul>
 *   <li>{@code auth0}: {@code passwordPolicy} one of none, low, fair, good, excellent (or null: none);
 *       {@code password_complexity_options.min_length} 1 to 128; {@code brute_force_protection} and
 *       {@code disable_signup} booleans. A new database connection without options gets the default
 *       connection's: good, 8 characters, brute-force protection on.</li>
 *   <li>{@code oidc}: {@code client_id} and {@code client_secret} (back channel: the code is exchanged
 *       at the token endpoint, OIDC Core §3.1.3); {@code discovery_url} or {@code issuer}, https, or http on a
 *       loopback host for development; {@code scope} holds {@code openid} (added when missing; default
 *       {@value #DEFAULT_OIDC_SCOPE}); {@code type} {@code back_channel} (front channel is not supported);
 *       {@code token_endpoint_auth_method} {@code client_secret_post} (default) or
 *       {@code client_secret_basic}; {@code domain_aliases} email domains for home realm discovery.</li>
 *   <li>{@code oauth2} (Auth0's Custom Social Connection): {@code client_id}, {@code client_secret},
 *       {@code authorizationURL}, {@code tokenURL} and Latchkey's {@code userInfoURL} (where Auth0 runs a
 *       {@code fetchUserProfile} script, Latchkey reads this URL with the access token), each https or http on a
 *       loopback host; {@code scope} a string or an array of strings; {@code fieldsMap} (Auth0's name) maps
 *       profile attributes ({@value #FIELDS}) to a dotted path into the provider's JSON (at most 100 entries of
 *       at most 128 characters); {@code pkce_enabled} a boolean (Latchkey: PKCE unless false, RFC 9700 §2.1.1);
 *       {@code token_endpoint_auth_method} as for {@code oidc}; {@code userEmailsURL} (optional) a GitHub-shaped
 *       email list read for the email and its verification.</li>
 *   <li>Social presets ({@link SocialStrategy}): {@code client_id} and {@code client_secret}; every endpoint the
 *       preset knows can be pointed elsewhere with the same names ({@code authorizationURL}, {@code tokenURL},
 *       {@code userInfoURL}, {@code userEmailsURL}; {@code issuer} or {@code discovery_url} for the OpenID
 *       ones), checked as above; {@code scope} and {@code fieldsMap} as for {@code oauth2}. Apple: its key in
 *       {@code app_secret} with {@code team_id} and {@code kid} instead of a client secret (see
 *       {@link AppleSigningKey}), and {@code name} and {@code email} booleans.</li>
 * </ul>
 */
public final class ConnectionOptions {

    /**
     * A new database connection's options, in Auth0's names: what Latchkey enforces (password policy,
     * brute-force protection) and Auth0's default for self-service password change, which tools such as
     * auth0-deploy-cli send back on every import.
     */
    static final Map<String, Object> DATABASE_DEFAULTS = Map.of("passwordPolicy", "good",
            "brute_force_protection", true, "disable_self_service_change_password", false,
            "password_complexity_options", Map.of("min_length", PasswordPolicy.MIN_LENGTH));

    public static final String DEFAULT_OIDC_SCOPE = "openid profile email";
    /** The profile attributes {@code fieldsMap} may fill (Auth0's normalized profile). */
    public static final String FIELDS =
            "user_id, email, email_verified, name, given_name, family_name, nickname, picture";
    private static final Set<String> FIELD_NAMES = Set.of(FIELDS.split(", "));
    private static final int MAX_FIELDS = 100;
    private static final int MAX_FIELD_PATH = 128;
    private static final List<String> OAUTH2_URLS = List.of("authorizationURL", "tokenURL", "userInfoURL");
    private static final List<String> PRESET_URLS = List.of("authorizationURL", "tokenURL", "userInfoURL",
            "userEmailsURL", "issuer", "discovery_url");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private ConnectionOptions() {
    }

    /** Checked options, without the client secret, and the secret they carried (or null). */
    public record Checked(Map<String, Object> options, String clientSecret) {

        @Override
        public String toString() {
            return "Checked[" + options.keySet() + "]";
        }
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static Checked check(String strategy, Map<String, Object> given) {
        Map<String, Object> options = new LinkedHashMap<>(given);
        options.values().removeIf(java.util.Objects::isNull);
        return switch (strategy) {
            case Connection.DATABASE_STRATEGY -> new Checked(database(options, given), null);
            case Connection.OIDC_STRATEGY -> oidc(options);
            case Connection.OAUTH2_STRATEGY -> oauth2(options);
            default -> {
                if (SocialStrategy.of(strategy).isEmpty()) {
                    throw new IllegalArgumentException("Strategy " + strategy + " is not supported");
                }
                yield social(options, SocialStrategy.of(strategy).get());
            }
        };
    }

    private static Map<String, Object> database(Map<String, Object> options, Map<String, Object> given) {
        if (given.isEmpty()) {
            return DATABASE_DEFAULTS;
        }
        if (given.containsKey("passwordPolicy")) {
            Object policy = given.get("passwordPolicy");
            if (policy != null && !(policy instanceof String name && PasswordPolicy.Level.of(name).isPresent())) {
                throw new IllegalArgumentException("passwordPolicy must be one of none, low, fair, good, excellent");
            }
            options.put("passwordPolicy", policy);
        }
        Object complexity = options.get("password_complexity_options");
        if (complexity != null) {
            if (!(complexity instanceof Map<?, ?> map) || (map.containsKey("min_length")
                    && !(map.get("min_length") instanceof Integer min && min >= 1 && min <= PasswordPolicy.MAX_LENGTH))) {
                throw new IllegalArgumentException("password_complexity_options.min_length must be an integer from 1 "
                        + "to " + PasswordPolicy.MAX_LENGTH);
            }
        }
        for (String flag : List.of("brute_force_protection", "disable_signup")) {
            if (options.containsKey(flag) && !(options.get(flag) instanceof Boolean)) {
                throw new IllegalArgumentException(flag + " must be a boolean");
            }
        }
        return options;
    }

    private static Checked oidc(Map<String, Object> options) {
        String secret = secret(options);
        requiredString(options, "client_id");
        if (!options.containsKey("discovery_url") && !options.containsKey("issuer")) {
            throw new IllegalArgumentException("Missing required property: discovery_url or issuer");
        }
        for (String url : List.of("discovery_url", "issuer")) {
            if (options.containsKey(url)) {
                url(requiredString(options, url), url);
            }
        }
        Object type = options.getOrDefault("type", "back_channel");
        if (!"back_channel".equals(type)) {
            throw new IllegalArgumentException("type must be back_channel: front channel logins are not supported");
        }
        options.put("type", type);
        String scope = options.containsKey("scope") ? requiredString(options, "scope") : DEFAULT_OIDC_SCOPE;
        if (!List.of(scope.split(" ")).contains("openid")) {
            scope = "openid " + scope;
        }
        options.put("scope", scope);
        authMethod(options);
        if (options.containsKey("domain_aliases") && !(options.get("domain_aliases") instanceof List<?> list
                && list.stream().allMatch(String.class::isInstance))) {
            throw new IllegalArgumentException("domain_aliases must be an array of strings");
        }
        return new Checked(options, secret);
    }

    private static Checked oauth2(Map<String, Object> options) {
        String secret = secret(options);
        requiredString(options, "client_id");
        for (String url : OAUTH2_URLS) {
            url(requiredString(options, url), url);
        }
        if (options.containsKey("userEmailsURL")) {
            url(requiredString(options, "userEmailsURL"), "userEmailsURL");
        }
        common(options);
        return new Checked(options, secret);
    }

    private static Checked social(Map<String, Object> options, SocialStrategy strategy) {
        String secret = strategy == SocialStrategy.APPLE ? appleSecret(options) : secret(options);
        requiredString(options, "client_id");
        for (String url : PRESET_URLS) {
            if (options.containsKey(url)) {
                url(requiredString(options, url), url);
            }
        }
        common(options);
        return new Checked(options, secret);
    }

    /**
     * Auth0's apple connection: {@code app_secret}, the PEM of the key Apple issued, with {@code team_id} and
     * {@code kid}, from which each call's client secret is signed; or, instead, a {@code client_secret} made
     * beforehand. {@code name} and {@code email} (booleans) say whether to ask Apple for them.
     */
    private static String appleSecret(Map<String, Object> options) {
        Object key = options.remove("app_secret");
        String secret = secret(options);
        for (String flag : List.of("name", "email")) {
            if (options.containsKey(flag) && !(options.get(flag) instanceof Boolean)) {
                throw new IllegalArgumentException(flag + " must be a boolean");
            }
        }
        if (key == null) {
            return secret;
        }
        if (secret != null) {
            throw new IllegalArgumentException("Give app_secret or client_secret, not both");
        }
        if (!(key instanceof String pem) || pem.length() > 5120) {
            throw new IllegalArgumentException("app_secret must be a string of at most 5120 characters");
        }
        AppleSigningKey.read(pem);
        requiredString(options, "team_id");
        requiredString(options, "kid");
        return pem;
    }

    /** What {@code oauth2} and the presets share: scope, fieldsMap, pkce_enabled, the token endpoint's auth. */
    private static void common(Map<String, Object> options) {
        if (options.containsKey("scope")) {
            scopes(options.get("scope"));
        }
        if (options.containsKey("fieldsMap")) {
            if (!(options.get("fieldsMap") instanceof Map<?, ?> map) || map.size() > MAX_FIELDS) {
                throw new IllegalArgumentException("fieldsMap must be an object of at most " + MAX_FIELDS
                        + " properties");
            }
            map.forEach((field, path) -> {
                if (!FIELD_NAMES.contains(field)) {
                    throw new IllegalArgumentException("fieldsMap." + field + " is not a profile attribute; "
                            + "allowed: " + FIELDS);
                }
                if (!(path instanceof String text) || text.isEmpty() || text.length() > MAX_FIELD_PATH) {
                    throw new IllegalArgumentException("fieldsMap." + field + " must be a path of 1 to "
                            + MAX_FIELD_PATH + " characters");
                }
            });
        }
        if (options.containsKey("pkce_enabled") && !(options.get("pkce_enabled") instanceof Boolean)) {
            throw new IllegalArgumentException("pkce_enabled must be a boolean");
        }
        authMethod(options);
    }

    /**
     * A {@code scope} option as the list of its scopes: Auth0 takes a space-separated string for some
     * strategies and an array of strings for others; both are accepted for every one.
     */
    public static List<String> scopes(Object scope) {
        if (scope instanceof String text && text.length() <= 2000) {
            return List.of(text.trim().split("[ ,]+")).stream().filter(s -> !s.isEmpty()).toList();
        }
        if (scope instanceof List<?> list && list.size() <= 100 && list.stream().allMatch(item ->
                item instanceof String text && !text.isBlank() && text.length() <= 200 && !text.contains(" "))) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("scope must be a string or an array of strings");
    }

    private static String secret(Map<String, Object> options) {
        Object secret = options.remove("client_secret");
        if (secret != null && !(secret instanceof String text && !text.isEmpty() && text.length() <= 1000)) {
            throw new IllegalArgumentException("client_secret must be a string of 1 to 1000 characters");
        }
        return (String) secret;
    }

    private static void authMethod(Map<String, Object> options) {
        Object method = options.getOrDefault("token_endpoint_auth_method", "client_secret_post");
        if (!"client_secret_post".equals(method) && !"client_secret_basic".equals(method)) {
            throw new IllegalArgumentException("token_endpoint_auth_method must be client_secret_post or "
                    + "client_secret_basic");
        }
        options.put("token_endpoint_auth_method", method);
    }

    private static String requiredString(Map<String, Object> options, String name) {
        if (!(options.get(name) instanceof String value) || value.isBlank() || value.length() > 2000) {
            throw new IllegalArgumentException("Missing required property: " + name + " (a string)");
        }
        return value;
    }

    /** An upstream's URL: https, or http on a loopback host (development). */
    public static URI url(String value, String name) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a URL");
        }
        String scheme = uri.getScheme();
        boolean ok = "https".equals(scheme) || ("http".equals(scheme) && LOOPBACK.contains(uri.getHost()));
        if (!ok || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must be an https URL (http only on localhost)");
        }
        return uri;
    }
}
