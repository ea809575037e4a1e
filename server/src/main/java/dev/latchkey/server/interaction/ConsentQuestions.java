package dev.latchkey.server.interaction;

import dev.latchkey.server.oauth.authorize.ConsentPolicy;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;

import java.util.List;

/**
 * What the consent page asks a user for a transaction: its API, if any, and the scopes RBAC lets the user
 * have (Auth0 §2.2), which are the only ones asked and remembered; and remembering a yes (Auth0 user grants).
 */
public final class ConsentQuestions {

    private final RegistryLookups lookups;
    private final RbacPolicy rbac;
    private final ConsentPolicy consent;

    public ConsentQuestions(RegistryLookups lookups, RbacPolicy rbac, ConsentPolicy consent) {
        this.lookups = lookups;
        this.rbac = rbac;
        this.consent = consent;
    }

    public Question ask(Outcome outcome, String userId) {
        String audience = outcome.request().audience();
        ResourceServer api = audience == null ? null : lookups.api(audience).orElse(null);
        return new Question(api, rbac.decide(userId, api, outcome.request().scopes()).scopes());
    }

    /** Remembers that {@code userId} accepted the question, adding its scopes to what they granted before. */
    public void accept(Outcome outcome, String userId) {
        consent.remember(outcome.request().withScopes(ask(outcome, userId).scopes()), userId);
    }

    /** {@code api} is null for a token good only at /userinfo. */
    public record Question(ResourceServer api, List<String> scopes) {

        public Question {
            scopes = List.copyOf(scopes);
        }
    }
}
