package dev.latchkey.server.management;

import java.util.Set;

/**
 * Who is calling the Management API, from its verified access token; {@code tokenDigest} is that token's SHA-256
 * ({@link dev.latchkey.server.token.OwnTokens#digestOf}), the key of its rate-limit bucket.
 */
public record ManagementCaller(String subject, String clientId, Set<String> scopes, String tokenDigest) {

    public boolean hasAny(Set<String> required) {
        return required.stream().anyMatch(scopes::contains);
    }

    /** A client calling for itself (client credentials, {@code sub} is {@code <client_id>@clients}), not a user. */
    public boolean isClient() {
        return clientId != null && (clientId + "@clients").equals(subject);
    }
}
