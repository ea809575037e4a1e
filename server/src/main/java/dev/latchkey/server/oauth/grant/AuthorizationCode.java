package dev.latchkey.server.oauth.grant;

import java.time.Instant;
import java.util.List;

/**
 * An authorization code as stored (RFC 6749 §4.1.2): the digest of the code and everything it is
 * bound to. {@code permissions} is what RBAC decided for the token's {@code permissions} claim
 * ({@link dev.latchkey.server.rbac.RbacPolicy}). {@code consumedAt} is set by its first (and only) exchange.
 */
public record AuthorizationCode(
        String codeHash,
        String clientId,
        String redirectUri,
        String codeChallenge,
        String codeChallengeMethod,
        String nonce,
        List<String> scopes,
        List<String> permissions,
        String audience,
        String userId,
        Instant authTime,
        String sid,
        Instant issuedAt,
        Instant validUntil,
        Instant consumedAt,
        Instant expiresAt) {

    public AuthorizationCode {
        scopes = List.copyOf(scopes);
        permissions = List.copyOf(permissions);
    }
}
