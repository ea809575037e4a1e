package dev.latchkey.server.rbac;

import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ResourceServer;
import dev.latchkey.server.registry.SigningAlgorithm;
import dev.latchkey.server.registry.TokenDialect;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The RBAC decision alone (Auth0 §2.2), with the user's permissions given in memory. */
class RbacPolicyTest {

    static final String HEALTH = "https://example.com/health-api";

    /** What each user holds for the health API, as the store would answer. */
    static final RbacPolicy POLICY = new RbacPolicy(new UserPermissionStore() {
        final Map<String, Set<String>> held = Map.of(
                "doctor", Set.of("read:patients"),
                "stale", Set.of("read:patients", "read:retired"));

        @Override
        public void add(String userId, List<Permission> permissions) {
        }

        @Override
        public void remove(String userId, List<Permission> permissions) {
        }

        @Override
        public List<PermissionSource> sources(String userId) {
            return List.of();
        }

        @Override
        public Set<String> held(String userId, String apiIdentifier) {
            return apiIdentifier.equals(HEALTH) ? held.getOrDefault(userId, Set.of()) : Set.of();
        }
    });

    static ResourceServer api(boolean enforcePolicies) {
        return new ResourceServer("rs", HEALTH, "Health API", false,
                List.of(new ApiScope("read:patients", ""), new ApiScope("read:admin", "")), SigningAlgorithm.RS256,
                null, 86_400, 7_200, false, false, enforcePolicies, TokenDialect.ACCESS_TOKEN_AUTHZ, Instant.EPOCH,
                Instant.EPOCH);
    }

    @Test
    void grantsTheRequestedApiScopesTheUserHoldsAndPassesOidcScopes() {
        RbacGrant grant = POLICY.decide("doctor", api(true), List.of("openid", "read:admin", "read:patients", "email"));

        assertThat(grant.scopes()).containsExactly("openid", "read:patients", "email");
        assertThat(grant.permissions()).containsExactly("read:patients");
    }

    @Test
    void listsEveryHeldPermissionEvenWhenNoneIsRequested() {
        assertThat(POLICY.decide("doctor", api(true), List.of("openid")).permissions())
                .containsExactly("read:patients");
    }

    @Test
    void aUserWithoutPermissionsGetsNoApiScope() {
        RbacGrant grant = POLICY.decide("visitor", api(true), List.of("openid", "read:patients"));

        assertThat(grant.scopes()).containsExactly("openid");
        assertThat(grant.permissions()).isEmpty();
    }

    @Test
    void permissionsOfScopesTheApiNoLongerDefinesAreLeftOut() {
        assertThat(POLICY.decide("stale", api(true), List.of()).permissions()).containsExactly("read:patients");
    }

    @Test
    void withoutRbacOrWithoutAnApiEveryRequestedScopeIsGranted() {
        List<String> requested = List.of("openid", "read:patients", "read:admin");

        assertThat(POLICY.decide("visitor", api(false), requested)).isEqualTo(new RbacGrant(requested, List.of()));
        assertThat(POLICY.decide("visitor", null, List.of("openid"))).isEqualTo(new RbacGrant(List.of("openid"),
                List.of()));
    }
}
