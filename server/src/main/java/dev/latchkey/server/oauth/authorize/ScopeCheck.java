package dev.latchkey.server.oauth.authorize;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

// Rules: scope keeps the OpenID Connect scopes (OIDC Core §5.4) and, with an audience, the scopes the
//        API defines; anything else is dropped, not refused (Auth0). The Management API grants user
//        tokens none of its own scopes (Auth0 §7.1 allows only *:current_user*, not served here).
//        offline_access is kept when there is no audience or the API allows offline access
//        (Auth0 §1.4); the token endpoint then adds a refresh token.
final class ScopeCheck implements AuthorizeCheck {

    static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email", "address", "phone");
    static final String OFFLINE_ACCESS = "offline_access";
    static final int MAX_LENGTH = 4096;

    private static boolean offlineAllowed(AuthorizeContext context) {
        return context.api == null || (!context.api.system() && context.api.allowOfflineAccess());
    }

    @Override
    public void check(AuthorizeContext context) {
        String scope = context.param("scope");
        if (scope == null) {
            context.scopes = List.of();
            return;
        }
        if (scope.length() > MAX_LENGTH) {
            throw AuthorizeException.redirect("invalid_scope", "scope is longer than " + MAX_LENGTH + " characters");
        }
        Set<String> apiScopes = context.api == null || context.api.system() ? Set.of() : context.api.scopeValues();
        List<String> kept = new ArrayList<>();
        for (String value : new LinkedHashSet<>(List.of(scope.trim().split(" +")))) {
            if (OIDC_SCOPES.contains(value) || apiScopes.contains(value)
                    || (value.equals(OFFLINE_ACCESS) && offlineAllowed(context))) {
                kept.add(value);
            }
        }
        context.scopes = kept;
    }
}
