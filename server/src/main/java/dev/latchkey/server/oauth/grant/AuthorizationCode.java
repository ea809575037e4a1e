package dev.latchkey.server.oauth.grant;

import java.time.Instant;
import java.util.List;

/**
 * An authorization code as stored (RFC 6749 §4.1.2): the digest of the code and everything it is
 * bound to. {@code consumedAt} is set by its first (and only) exchange; {@code authorizationId} names
 * the authorization it carries, which its tokens hang from.
 */
public record AuthorizationCode(
        String codeHash,
        String clientId,
        String redirectUri,
        String codeChallenge,
        String codeChallengeMethod,
        String nonce,
        List<String> scopes,
        String audience,
        String userId,
        Instant authTime,
        String sid,
        Instant issuedAt,
        Instant validUntil,
        Instant consumedAt,
        Instant expiresAt,
        String authorizationId,
        String acr,
        boolean redirectUriGiven) {

    public AuthorizationCode {
        scopes = List.copyOf(scopes);
    }
}
