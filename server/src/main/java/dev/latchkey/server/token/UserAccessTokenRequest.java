package dev.latchkey.server.token;

import dev.latchkey.server.registry.ResourceServer;

import java.util.List;

/**
 * An access token for a user, from a browser flow. {@code api} is null when no audience was
 * requested (an opaque /userinfo token). {@code front} is true when the token leaves through the
 * authorization endpoint (implicit and hybrid), which picks Auth0's shorter "web" lifetimes.
 * {@code codeHash} names the code it was exchanged for, so a code replay can revoke it.
 * {@code permissions} is the {@code *_authz} dialects' claim, as RBAC decided it.
 */
public record UserAccessTokenRequest(ResourceServer api, String userId, String clientId, List<String> scopes,
                                     List<String> permissions, boolean front, boolean implicit, String codeHash) {

    public UserAccessTokenRequest {
        scopes = List.copyOf(scopes);
        permissions = List.copyOf(permissions);
    }
}
