package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;

/**
 * An access token this server issued that is still good: signed (or stored) here, not expired, its
 * authorization or client grant not revoked. {@code userId} is null for machine-to-machine tokens;
 * {@code opaque} tells a /userinfo token from a JWT.
 */
public record ValidToken(
        boolean opaque,
        String subject,
        String userId,
        String clientId,
        List<String> audience,
        List<String> scopes,
        Instant issuedAt,
        Instant expiresAt,
        String jti) {

    public ValidToken {
        audience = List.copyOf(audience);
        scopes = List.copyOf(scopes);
    }
}
