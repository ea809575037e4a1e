package dev.latchkey.server.token;

import dev.latchkey.server.registry.ResourceServer;

import java.util.List;

/**
 * What a grant decided an access token must say. {@code grantType} is Auth0's {@code gty} value
 * or null where Auth0 puts none; {@code permissions} is used only by the {@code *_authz} dialects.
 * {@code grantId} names the authorization or client grant the token hangs from; it leads the {@code jti}.
 */
public record AccessTokenRequest(
        ResourceServer api,
        String subject,
        String clientId,
        List<String> scopes,
        List<String> permissions,
        String grantType,
        boolean userinfoAudience,
        int lifetimeSeconds,
        String grantId) {

    public AccessTokenRequest {
        scopes = List.copyOf(scopes);
        permissions = List.copyOf(permissions);
    }

    public String scope() {
        return String.join(" ", scopes);
    }
}
