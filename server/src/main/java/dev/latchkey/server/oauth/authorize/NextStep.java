package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.rbac.RbacGrant;

/** What an authorization needs next, once its request is checked. */
public sealed interface NextStep {

    /** The user must log in (again). */
    record Login() implements NextStep {
    }

    /** The user must consent to the scopes. */
    record Consent(User user, Authentication authentication) implements NextStep {
    }

    /** Nothing is missing: issue the response, with the scopes and permissions RBAC lets the user have. */
    record Issue(User user, Authentication authentication, RbacGrant grant) implements NextStep {
    }

    /** The request cannot go on (prompt=none needing interaction, a blocked user). */
    record Fail(String error, String description) implements NextStep {
    }
}
