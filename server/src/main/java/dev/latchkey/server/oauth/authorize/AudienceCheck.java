package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.registry.RegistryLookups;

// Rules: audience, when sent, names a registered API, else access_denied "Service not found: <audience>"
//        (Auth0). Without one the tenant's default_audience stands in (Auth0 §1.2: "as if the audience
//        were appended to every authorization request"). With neither, or with the /userinfo audience,
//        the access token is an opaque token good only at /userinfo (Auth0 §1.2).
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
        if (audience == null) {
            audience = lookups.tenant().defaultAudience().orElse(null);
        }
        if (audience == null || audience.equals(userinfoAudience)) {
            return;
        }
        String named = audience;
        context.api = lookups.api(named).orElseThrow(() ->
                AuthorizeException.redirect("access_denied", "Service not found: " + named));
    }
}
