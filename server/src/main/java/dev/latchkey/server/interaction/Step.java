package dev.latchkey.server.interaction;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;

/** What a login transaction needs next ({@link InteractionEngine#resume}). */
public sealed interface Step {

    /** The user must log in (again). */
    record ShowLogin() implements Step {
    }

    /** The user must consent to the scopes. */
    record ShowConsent(User user, Authentication authentication) implements Step {
    }

    /**
     * Nothing is missing: the transaction ends in {@code outcome}, which carries only the scopes RBAC lets the
     * user have; {@code api} is its audience, or null for /userinfo only.
     */
    record Complete(Outcome outcome, Client client, ResourceServer api, User user, Authentication authentication)
            implements Step {
    }

    /** The transaction ends in an error for the client (prompt=none needing interaction, consent declined, ...). */
    record Fail(String error, String description) implements Step {
    }
}
