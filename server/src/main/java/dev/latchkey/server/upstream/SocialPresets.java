package dev.latchkey.server.upstream;

import dev.latchkey.server.identity.Connection;
import dev.latchkey.server.identity.ConnectionOptions;
import dev.latchkey.server.identity.SocialStrategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Latchkey knows of each social preset (Auth0's social connections): the provider's real endpoints, its
 * default scope and how its profile maps onto Auth0's. {@link #effective} fills a connection's options with
 * them; every one can be overridden by the connection's own options of the same name (tests point them at a
 * local fake; a self-hosted GitHub Enterprise at its own host).
 * <p>Rules:
 * <ul>
 *   <li>{@code google-oauth2} and {@code apple} are OpenID Providers: they ride the {@code oidc} code path
 *       (discovery at their issuer, the ID token's signature, issuer, audience and nonce checked) rather than
 *       trusting a profile call, and Apple has no profile endpoint at all. Their {@code issuer} or
 *       {@code discovery_url} option points them elsewhere.</li>
 *   <li>Apple: scope {@code openid name email} unless its {@code name} or {@code email} option is false (or
 *       a {@code scope} is given). Apple answers a request for either only with {@code response_mode=form_post},
 *       a cross-site POST to {@code /login/callback}; the email comes in the ID token, the name only at the
 *       first login, in the posted {@code user} (see {@code OidcUpstream}). Its client secret is signed from the
 *       connection's {@code app_secret} ({@link AppleClientSecret}).</li>
 *   <li>{@code github}, {@code facebook} and {@code windowslive} ride the {@code oauth2} path (code + PKCE +
 *       state, then their profile endpoint with the access token). A connection's {@code fieldsMap} is merged
 *       over the preset's, attribute by attribute.</li>
 *   <li>GitHub: {@code /user} gives {@code email} null when it is private, and never says whether it is
 *       verified: {@code /user/emails} (scope {@code user:email}) decides (see {@link GitHubEmails}).</li>
 *   <li>Facebook and Microsoft Graph say nothing of an email's verification: their users' emails are never
 *       marked verified.</li>
 * </ul>
 */
final class SocialPresets {

    /** The effective option that makes the provider answer with a form post (OAuth 2.0 Form Post Response Mode). */
    static final String RESPONSE_MODE = "response_mode";
    static final String FORM_POST = "form_post";

    /** A preset: OpenID (the oidc path) or not, and its default options. */
    private record Preset(boolean openId, Map<String, Object> defaults) {
    }

    private static final Map<SocialStrategy, Preset> PRESETS = Map.of(
            SocialStrategy.GOOGLE, new Preset(true, Map.of(
                    "issuer", "https://accounts.google.com",
                    "scope", "openid email profile")),
            SocialStrategy.APPLE, new Preset(true, Map.of(
                    "issuer", "https://appleid.apple.com")),
            SocialStrategy.GITHUB, new Preset(false, Map.of(
                    "authorizationURL", "https://github.com/login/oauth/authorize",
                    "tokenURL", "https://github.com/login/oauth/access_token",
                    "userInfoURL", "https://api.github.com/user",
                    "userEmailsURL", "https://api.github.com/user/emails",
                    "scope", "read:user user:email",
                    "fieldsMap", Map.of("user_id", "id", "email", "email", "name", "name", "nickname", "login",
                            "picture", "avatar_url"))),
            SocialStrategy.FACEBOOK, new Preset(false, Map.of(
                    "authorizationURL", "https://www.facebook.com/v21.0/dialog/oauth",
                    "tokenURL", "https://graph.facebook.com/v21.0/oauth/access_token",
                    "userInfoURL", "https://graph.facebook.com/v21.0/me?fields=id,name,first_name,last_name,email,picture",
                    "scope", "public_profile email",
                    "fieldsMap", Map.of("user_id", "id", "email", "email", "name", "name", "given_name", "first_name",
                            "family_name", "last_name", "picture", "picture.data.url"))),
            SocialStrategy.WINDOWSLIVE, new Preset(false, Map.of(
                    "authorizationURL", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
                    "tokenURL", "https://login.microsoftonline.com/common/oauth2/v2.0/token",
                    "userInfoURL", "https://graph.microsoft.com/v1.0/me",
                    "scope", "User.Read offline_access",
                    "fieldsMap", Map.of("user_id", "id", "email", "mail", "name", "displayName", "given_name",
                            "givenName", "family_name", "surname", "nickname", "userPrincipalName"))));

    private SocialPresets() {
    }

    /** Whether {@code connection} logs in with OpenID Connect ({@code oidc} and the OpenID presets). */
    static boolean openId(Connection connection) {
        return Connection.OIDC_STRATEGY.equals(connection.strategy()) || SocialStrategy.of(connection.strategy())
                .map(PRESETS::get).map(Preset::openId).orElse(false);
    }

    /**
     * Whether the provider's profile may say that an email is verified: not Facebook's or Microsoft Graph's,
     * which never say so, whatever a profile (or a connection's {@code fieldsMap}) claims.
     */
    static boolean vouchesForEmails(Connection connection) {
        return SocialStrategy.of(connection.strategy())
                .map(strategy -> strategy != SocialStrategy.FACEBOOK && strategy != SocialStrategy.WINDOWSLIVE)
                .orElse(true);
    }

    /**
     * {@code connection} with its preset's defaults under its own options, and {@code scope} as one
     * space-separated string (with {@code openid} for the OpenID presets).
     */
    static Connection effective(Connection connection) {
        Preset preset = SocialStrategy.of(connection.strategy()).map(PRESETS::get).orElse(null);
        if (preset == null && !Connection.OAUTH2_STRATEGY.equals(connection.strategy())) {
            return connection;
        }
        Map<String, Object> given = connection.options();
        Map<String, Object> options = new LinkedHashMap<>();
        if (preset != null) {
            options.putAll(preset.defaults());
            if (given.containsKey("discovery_url")) {
                // The connection's own discovery document names its issuer.
                options.remove("issuer");
            }
        }
        options.putAll(given);
        if (preset != null && given.get("fieldsMap") instanceof Map<?, ?> own
                && preset.defaults().get("fieldsMap") instanceof Map<?, ?> defaults) {
            Map<Object, Object> merged = new LinkedHashMap<>(defaults);
            merged.putAll(own);
            options.put("fieldsMap", merged);
        }
        List<String> scopes = new ArrayList<>(options.containsKey("scope")
                ? ConnectionOptions.scopes(options.get("scope")) : List.of());
        boolean apple = SocialStrategy.APPLE.strategy().equals(connection.strategy());
        if (apple && !options.containsKey("scope")) {
            // Auth0's name and email attributes, both asked for unless turned off.
            List.of("name", "email").stream().filter(flag -> !Boolean.FALSE.equals(options.get(flag)))
                    .forEach(scopes::add);
        }
        if (openId(connection) && !scopes.contains("openid")) {
            scopes.add(0, "openid");
        }
        options.put("scope", String.join(" ", scopes));
        if (apple && (scopes.contains("name") || scopes.contains("email"))) {
            options.put(RESPONSE_MODE, FORM_POST);
        }
        return connection.withOptions(options);
    }
}
