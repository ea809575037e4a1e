package dev.latchkey.server.oauth.authorize;

import java.util.List;

/**
 * The Authentication Context Class Reference (OIDC Core §2 {@code acr}) an ID token reports when
 * the client asked with {@code acr_values} (§3.1.2.1). Latchkey authenticates with one factor (a
 * password, or the SSO session a password login started) and makes no ISO/IEC 29115 assurance
 * claim, which OIDC Core §2 writes as {@code "0"}: that is the one class it satisfies. acr_values
 * are voluntary, so a request for other classes still succeeds and is told {@code "0"}, the class
 * actually performed, rather than a class that was not.
 */
public final class AuthenticationContextClass {

    /** Single-factor login without an assurance-level claim (OIDC Core §2). */
    public static final String SINGLE_FACTOR = "0";
    /** What discovery lists as {@code acr_values_supported}. */
    public static final List<String> SUPPORTED = List.of(SINGLE_FACTOR);

    private AuthenticationContextClass() {
    }

    /** The first requested class Latchkey satisfies, else the one it performed; null when none was asked for. */
    static String reported(List<String> requested) {
        if (requested.isEmpty()) {
            return null;
        }
        return requested.stream().filter(SUPPORTED::contains).findFirst().orElse(SINGLE_FACTOR);
    }
}
