package dev.latchkey.server.identity;

import java.util.Arrays;
import java.util.Optional;

/**
 * Auth0's social connection strategies that Latchkey knows by name, with the label of their login button.
 * <p>Rules:
 * <ul>
 *   <li>Auth0: a social user's id is {@code <strategy>|<id at the provider>} (e.g. {@code github|1234},
 *       {@code google-oauth2|1033...}), its identity's {@code provider} the strategy, its {@code user_id} the
 *       provider's id alone and {@code isSocial} true.</li>
 *   <li>Auth0 Custom Social Connections ({@code oauth2}) are social too, but name the connection in their ids:
 *       {@code oauth2|<connection>|<id>}, identity {@code user_id} {@code <connection>|<id>}.</li>
 * </ul>
 * How each one is spoken to (its endpoints, scope and profile fields) is in {@code upstream.SocialPresets}.
 */
public enum SocialStrategy {

    GOOGLE("google-oauth2", "Google"),
    GITHUB("github", "GitHub"),
    FACEBOOK("facebook", "Facebook"),
    WINDOWSLIVE("windowslive", "Microsoft"),
    APPLE("apple", "Apple");

    private final String strategy;
    private final String label;

    SocialStrategy(String strategy, String label) {
        this.strategy = strategy;
        this.label = label;
    }

    public static Optional<SocialStrategy> of(String strategy) {
        return Arrays.stream(values()).filter(s -> s.strategy.equals(strategy)).findFirst();
    }

    /** Auth0's strategy name. */
    public String strategy() {
        return strategy;
    }

    /** What the login page's button says after "Continue with". */
    public String label() {
        return label;
    }

    /** Whether identities of {@code strategy} are social (Auth0 {@code isSocial}): the presets and {@code oauth2}. */
    public static boolean social(String strategy) {
        return Connection.OAUTH2_STRATEGY.equals(strategy) || of(strategy).isPresent();
    }
}
