package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.oauth.UserTokenScopes;

import java.util.List;

// Rules: scope keeps the OpenID Connect scopes (OIDC Core §5.4) and, with an audience, the scopes the
//        API defines; anything else is dropped, not refused (Auth0). The Management API grants user
//        tokens only update:current_user_identities (Auth0 §7.1's *:current_user* scopes served here).
//        offline_access is kept when there is no audience or the API allows offline access
//        (Auth0 §1.4); the token endpoint then adds a refresh token. (UserTokenScopes applies them.)
final class ScopeCheck implements AuthorizeCheck {

    static final int MAX_LENGTH = 4096;

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
        context.scopes = UserTokenScopes.kept(scope, context.api);
    }
}
