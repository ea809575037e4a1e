package dev.latchkey.server.oauth.authorize;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.ResourceServer;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When consent is needed, and remembering it (Auth0): consent is asked unless the user already
 * granted these scopes to this client for this audience, or the client is first-party and the API
 * allows skipping consent ({@code skip_consent_for_verifiable_first_party_clients}); a first-party
 * client asking only for the user's profile (no audience) is not asked either. {@code prompt=consent}
 * always asks.
 */
public final class ConsentPolicy {

    private final UserGrantStore grants;
    private final String userinfoAudience;
    private final Clock clock;

    public ConsentPolicy(UserGrantStore grants, String userinfoAudience, Clock clock) {
        this.grants = grants;
        this.userinfoAudience = userinfoAudience;
        this.clock = clock;
    }

    public boolean required(CheckedAuthorization request, Client client, ResourceServer api, String userId) {
        if (request.prompts("consent")) {
            return true;
        }
        if (client.firstParty() && (api == null || api.skipConsentForVerifiableFirstPartyClients())) {
            return false;
        }
        return grants.find(userId, client.clientId(), audience(request))
                .map(grant -> !grant.covers(request.scopes()))
                .orElse(true);
    }

    /**
     * Remembers the user's consent, adding the scopes to what was granted before; a grant that covers them
     * already is left as it is.
     */
    public void remember(CheckedAuthorization request, String userId) {
        String audience = audience(request);
        Instant now = clock.instant();
        UserGrant existing = grants.find(userId, request.clientId(), audience).orElse(null);
        if (existing != null && existing.covers(request.scopes())) {
            return;
        }
        Set<String> scopes = new LinkedHashSet<>(existing == null ? List.of() : existing.scopes());
        scopes.addAll(request.scopes());
        grants.save(new UserGrant(existing == null ? RandomStrings.alphanumeric(24) : existing.id(), userId,
                request.clientId(), audience, List.copyOf(scopes),
                existing == null ? now : existing.createdAt(), now));
    }

    /** The audience consent is recorded for: the API, or {@code <issuer>userinfo} (Auth0). */
    public String audience(CheckedAuthorization request) {
        return request.audience() == null ? userinfoAudience : request.audience();
    }
}
