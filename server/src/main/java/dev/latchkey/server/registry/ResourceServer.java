package dev.latchkey.server.registry;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An API that access tokens are issued for; its {@code identifier} is the audience.
 * {@code signingSecret} is the clear HS256 secret (sealed at rest), null for RSA algorithms.
 */
public record ResourceServer(
        String id,
        String identifier,
        String name,
        boolean system,
        List<ApiScope> scopes,
        SigningAlgorithm signingAlg,
        String signingSecret,
        int tokenLifetime,
        int tokenLifetimeForWeb,
        boolean allowOfflineAccess,
        boolean skipConsentForVerifiableFirstPartyClients,
        boolean enforcePolicies,
        TokenDialect tokenDialect,
        Instant createdAt,
        Instant updatedAt) {

    /** Auth0: default 86400 s, at most 2592000 s (30 days). */
    public static final int DEFAULT_TOKEN_LIFETIME = 86_400;
    public static final int MAX_TOKEN_LIFETIME = 2_592_000;

    public ResourceServer {
        scopes = List.copyOf(scopes);
    }

    public Set<String> scopeValues() {
        return scopes.stream().map(ApiScope::value).collect(Collectors.toUnmodifiableSet());
    }
}
