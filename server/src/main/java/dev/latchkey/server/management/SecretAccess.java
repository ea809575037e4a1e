package dev.latchkey.server.management;

import dev.latchkey.server.registry.ClientGrant;
import dev.latchkey.server.registry.RegistryLookups;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read or rotate a client's secret. Whoever holds a secret gets every token its client can get by
 * client credentials, so a secret goes only to a caller that could already get those tokens itself:
 * {@code read:client_keys} (or {@code update:client_keys}) alone must never turn into more power.
 * Rules, for each client grant of the target client:
 * <ul>
 *   <li>the Management API: every scope granted is in the caller's own token;</li>
 *   <li>any other API: the caller's own client grant for that API covers the scopes, or the caller holds
 *       both {@code create:client_grants} and {@code update:client_grants} (so it could give itself that
 *       grant anyway).</li>
 * </ul>
 * A client with no client grant, and the caller's own client, are always readable. The grants are read through
 * {@link RegistryLookups} (as the token endpoint reads them when it issues tokens): a grant changed through this
 * node counts at once, one changed through another node within {@link RegistryLookups#TTL}.
 */
final class SecretAccess {

    private static final Set<String> GRANTS_ANY_API = Set.of("create:client_grants", "update:client_grants");

    private final RegistryLookups lookups;
    private final String managementAudience;

    SecretAccess(RegistryLookups lookups, String managementAudience) {
        this.lookups = lookups;
        this.managementAudience = managementAudience;
    }

    /** What one caller may hold, its own grants read once (a list of clients asks for many). */
    Reader of(ManagementCaller caller) {
        return new Reader(caller);
    }

    final class Reader {

        private final ManagementCaller caller;
        private List<ClientGrant> own;

        private Reader(ManagementCaller caller) {
            this.caller = caller;
        }

        boolean may(String clientId) {
            return missing(clientId).isEmpty();
        }

        /** The scopes {@code clientId}'s secret would give beyond the caller's reach, as {@code audience: scope}. */
        List<String> missing(String clientId) {
            if (clientId.equals(caller.clientId())) {
                return List.of();
            }
            List<String> missing = new ArrayList<>();
            for (ClientGrant grant : lookups.clientGrants(clientId)) {
                Set<String> reach = reach(grant.audience());
                for (String scope : grant.scope()) {
                    if (reach != null && !reach.contains(scope)) {
                        missing.add(grant.audience() + " " + scope);
                    }
                }
            }
            return missing;
        }

        /** The scopes the caller can get for {@code audience}; null for every scope. */
        private Set<String> reach(String audience) {
            if (audience.equals(managementAudience)) {
                return caller.scopes();
            }
            if (caller.scopes().containsAll(GRANTS_ANY_API)) {
                return null;
            }
            if (own == null) {
                own = caller.isClient() ? lookups.clientGrants(caller.clientId()) : List.of();
            }
            Optional<ClientGrant> mine = own.stream().filter(g -> g.audience().equals(audience)).findFirst();
            return mine.<Set<String>>map(g -> new LinkedHashSet<>(g.scope())).orElse(Set.of());
        }
    }
}
