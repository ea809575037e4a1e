package dev.latchkey.server.oauth.authorize;

import java.time.Instant;
import java.util.List;

/**
 * Consent a user gave a client for an audience (Auth0's user grant, {@code /api/v2/grants}).
 * For tokens good only at /userinfo the audience is {@code <issuer>userinfo}.
 */
public record UserGrant(String id, String userId, String clientId, String audience, List<String> scopes,
                        Instant createdAt, Instant updatedAt) {

    public UserGrant {
        scopes = List.copyOf(scopes);
    }

    public boolean covers(List<String> requested) {
        return scopes.containsAll(requested);
    }
}
