package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.registry.RegistryLookups;

// Rules: audience, when sent, names a registered API, else access_denied "Service not found: <audience>"
//        (Auth0). Without one, or with the /userinfo audience, the access token is an opaque token
//        good only at /userinfo (Auth0 §1.2).
final class AudienceCheck implements AuthorizeCheck {

    private final RegistryLookups lookups;
    private final String userinfoAudience;

    AudienceCheck(RegistryLookups lookups, String userinfoAudience) {
        this.lookups = lookups;
        this.userinfoAudience = userinfoAudience;
    }

    @Override
    public void check(AuthorizeContext context) {
        String audience = context.param("audience");
        if (audience == null || audience.equals(userinfoAudience)) {
            return;
        }
        context.api = lookups.api(audience).orElseThrow(() ->
                AuthorizeException.redirect("access_denied", "Service not found: " + audience));
    }
}
