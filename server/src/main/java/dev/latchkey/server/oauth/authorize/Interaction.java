package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.rbac.RbacGrant;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides what a checked authorization needs next: a login (none yet, {@code prompt=login},
 * {@code max_age} passed), consent, or nothing; and turns a needed interaction into
 * {@code login_required}/{@code consent_required} under {@code prompt=none} (OIDC Core §3.1.2.1, §3.1.2.6).
 * Once the user is known, RBAC decides which of the requested scopes they may have (Auth0 §2.2): consent
 * is asked, and the response issued, for those only.
 */
public final class Interaction {

    private final UserDirectory users;
    private final ConsentPolicy consent;
    private final RbacPolicy rbac;
    private final Clock clock;

    public Interaction(UserDirectory users, ConsentPolicy consent, RbacPolicy rbac, Clock clock) {
        this.users = users;
        this.consent = consent;
        this.rbac = rbac;
        this.clock = clock;
    }

    /**
     * @param authentication who is logged in, if anyone
     * @param consentGiven   the user accepted the consent page for this very request
     */
    public NextStep next(CheckedAuthorization request, Client client, ResourceServer api,
                         Optional<Authentication> authentication, boolean consentGiven) {
        return next(request, client, api, authentication, authentication.flatMap(a -> users.findById(a.userId())),
                consentGiven);
    }

    /**
     * As {@link #next(CheckedAuthorization, Client, ResourceServer, Optional, boolean)}, with the authenticated
     * user as the caller has just read it (the login and consent pages), so that it is not read twice.
     */
    public NextStep next(CheckedAuthorization request, Client client, ResourceServer api,
                         Optional<Authentication> authentication, Optional<User> authenticatedUser,
                         boolean consentGiven) {
        boolean silent = request.prompts("none");
        Optional<User> user = authenticatedUser
                .filter(u -> authentication.isPresent() && u.userId().equals(authentication.get().userId()))
                .filter(u -> !u.blocked());
        if (authentication.isEmpty() || user.isEmpty() || loginDemanded(request, authentication.get())) {
            return silent ? new NextStep.Fail("login_required", "Login required") : new NextStep.Login();
        }
        RbacGrant grant = rbac.decide(user.get().userId(), api, request.scopes());
        if (!consentGiven && consent.required(request.withScopes(grant.scopes()), client, api, user.get().userId())) {
            return silent ? new NextStep.Fail("consent_required", "Consent required")
                    : new NextStep.Consent(user.get(), authentication.get());
        }
        return new NextStep.Issue(user.get(), authentication.get(), grant);
    }

    private boolean loginDemanded(CheckedAuthorization request, Authentication authentication) {
        if (authentication.fresh()) {
            return false;
        }
        if (request.prompts("login")) {
            return true;
        }
        // OIDC Core §3.1.2.1: max_age is the allowable time since the user last actively authenticated.
        // Compared as elapsed time, which cannot overflow, rather than as authTime + max_age.
        return request.maxAge() != null && Duration.between(authentication.authTime(), clock.instant())
                .compareTo(Duration.ofSeconds(Math.min(request.maxAge(), PromptCheck.MAX_AGE_LIMIT))) > 0;
    }
}
