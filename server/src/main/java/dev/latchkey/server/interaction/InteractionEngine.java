package dev.latchkey.server.interaction;

import dev.latchkey.server.identity.User;
import dev.latchkey.server.identity.UserDirectory;
import dev.latchkey.server.oauth.authorize.CheckedAuthorization;
import dev.latchkey.server.oauth.authorize.ConsentPolicy;
import dev.latchkey.server.rbac.RbacGrant;
import dev.latchkey.server.rbac.RbacPolicy;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;
import dev.latchkey.server.registry.ResourceServer;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides what a login transaction needs next, from what it ends in and what the browser brings, in this
 * order: a declined consent ends it with {@code access_denied}; an audience that is no longer registered
 * with {@code access_denied}; then a login (none yet, {@code prompt=login}, {@code max_age} passed, the
 * user blocked or gone), then consent, then nothing, and it completes. Under {@code prompt=none} a needed
 * login or consent is {@code login_required} or {@code consent_required} instead (OIDC Core §3.1.2.1,
 * §3.1.2.6). Once the user is known, RBAC decides which of the requested scopes they may have (Auth0 §2.2):
 * consent is asked, and the outcome completed, for those only. No HTTP here: the pages and {@code /authorize}
 * turn the step into a screen.
 */
public final class InteractionEngine {

    private final RegistryLookups lookups;
    private final UserDirectory users;
    private final ConsentPolicy consent;
    private final RbacPolicy rbac;
    private final Clock clock;

    public InteractionEngine(RegistryLookups lookups, UserDirectory users, ConsentPolicy consent, RbacPolicy rbac,
                             Clock clock) {
        this.lookups = lookups;
        this.users = users;
        this.consent = consent;
        this.rbac = rbac;
        this.clock = clock;
    }

    /** @param client the client of {@code outcome}, as the caller has just read it */
    public Step resume(Outcome outcome, Client client, SessionState session) {
        CheckedAuthorization request = outcome.request();
        if (session.consent() == SessionState.ConsentAnswer.DECLINED) {
            return new Step.Fail("access_denied", "User did not authorize the request");
        }
        ResourceServer api = null;
        if (request.audience() != null) {
            api = lookups.api(request.audience()).orElse(null);
            if (api == null) {
                return new Step.Fail("access_denied", "Service not found: " + request.audience());
            }
        }
        boolean silent = request.prompts("none");
        Optional<Authentication> authentication = session.authentication();
        Optional<User> user = session.user().or(() -> authentication.flatMap(a -> users.findById(a.userId())))
                .filter(u -> authentication.isPresent() && u.userId().equals(authentication.get().userId()))
                .filter(u -> !u.blocked());
        if (authentication.isEmpty() || user.isEmpty() || loginDemanded(request, authentication.get())) {
            return silent ? new Step.Fail("login_required", "Login required") : new Step.ShowLogin();
        }
        RbacGrant grant = rbac.decide(user.get().userId(), api, request.scopes());
        if (session.consent() != SessionState.ConsentAnswer.ACCEPTED
                && consent.required(request.withScopes(grant.scopes()), client, api, user.get().userId())) {
            return silent ? new Step.Fail("consent_required", "Consent required")
                    : new Step.ShowConsent(user.get(), authentication.get());
        }
        return new Step.Complete(outcome.withScopes(grant.scopes()), client, api, user.get(), authentication.get());
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
                .compareTo(Duration.ofSeconds(Math.min(request.maxAge(), CheckedAuthorization.MAX_AGE_LIMIT))) > 0;
    }
}
