package dev.latchkey.server.oauth;

import dev.latchkey.server.registry.ResourceServer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which requested scopes a user's tokens may carry, for /authorize and the password grants alike: the
 * OpenID Connect scopes (OIDC Core §5.4), the scopes the API defines, and {@code offline_access} when
 * there is no API or it allows offline access (Auth0 §1.4); anything else is dropped, not refused
 * (Auth0). The Management API grants user tokens only {@code update:current_user_identities}, the one of
 * Auth0's {@code *:current_user*} scopes (§7.1) served here: linking accounts to the user's own.
 */
public final class UserTokenScopes {

    /** In the order OIDC Core §5.4 lists them. */
    public static final List<String> OIDC_SCOPES = List.of("openid", "profile", "email", "address", "phone");
    public static final String OFFLINE_ACCESS = "offline_access";
    /** Auth0 §7.1: the Management API scopes a user's own token may carry (those served here). */
    public static final Set<String> CURRENT_USER_SCOPES = Set.of("update:current_user_identities");

    private UserTokenScopes() {
    }

    /** The scopes of {@code scope} (space-separated) kept for {@code api} (null: no audience), in order. */
    public static List<String> kept(String scope, ResourceServer api) {
        Set<String> apiScopes = definedBy(api);
        boolean offline = api == null || (!api.system() && api.allowOfflineAccess());
        List<String> kept = new ArrayList<>();
        for (String value : new LinkedHashSet<>(List.of(scope.trim().split(" +")))) {
            if (OIDC_SCOPES.contains(value) || apiScopes.contains(value) || (value.equals(OFFLINE_ACCESS) && offline)) {
                kept.add(value);
            }
        }
        return kept;
    }

    /** The API's own scopes a user token may be given: none for no API, the current user's for the Management API. */
    private static Set<String> definedBy(ResourceServer api) {
        if (api == null) {
            return Set.of();
        }
        return api.system() ? CURRENT_USER_SCOPES : api.scopeValues();
    }
}
