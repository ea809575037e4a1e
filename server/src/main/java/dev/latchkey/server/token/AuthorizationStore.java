package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where authorizations are kept. Revoking is one transaction over everything that hangs from the
 * authorizations concerned: they are marked revoked (and kept until they expire, so that their
 * JWT access tokens read as inactive), their opaque access tokens, refresh tokens and unused codes
 * are deleted.
 */
public interface AuthorizationStore {

    void create(Authorization authorization);

    /** The authorization when it exists and was not revoked (expiry is the caller's to check). */
    Optional<Authorization> findActive(String id);

    /**
     * Spends the sealed-form code the authorization {@code id} of {@code clientId} carries: exactly one caller, on
     * any node, gets it {@link CodeSpend#first() first}; later callers get it as a replay. Empty when there is no
     * such authorization of that client, or it was revoked or has expired before its code was spent.
     */
    Optional<CodeSpend> spendCode(String id, String clientId, Instant now);

    /** Keeps the authorization at least until {@code expiresAt} (a refresh token outlives it). */
    void extend(String id, Instant expiresAt);

    Revoked revoke(String id, Instant now);

    /** Every authorization of the user (blocked, deleted, new password). */
    Revoked revokeUser(String userId, Instant now);

    /** Every authorization of the user for the client and API ({@code audience} null: /userinfo only). */
    Revoked revokeGrant(String userId, String clientId, String audience, Instant now);

    /** Every authorization given in the SSO session. */
    Revoked revokeSession(String sid, Instant now);

    int deleteExpired(Instant now, int batch);

    /** An authorization whose code was spent: by this caller ({@code first}), or before (a replay). */
    record CodeSpend(Authorization authorization, boolean first) {
    }

    /** What a revocation ended: the authorizations and the digests of the opaque tokens deleted. */
    record Revoked(List<String> authorizationIds, List<String> opaqueTokenHashes) {
        public Revoked {
            authorizationIds = List.copyOf(authorizationIds);
            opaqueTokenHashes = List.copyOf(opaqueTokenHashes);
        }
    }
}
