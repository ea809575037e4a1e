package dev.latchkey.server.oauth.device;

import java.time.Instant;
import java.util.List;

/**
 * A device code as stored (RFC 8628 §3.2): digests of the device code and of the user code, what the device
 * asked for ({@code scopes}, {@code audience}, null for /userinfo only), where it stands ({@code status}), the
 * user's approval once given, and the polling state: the current {@code interval}, the last accepted poll
 * ({@code polledAt}, null before the first) and whether the interval grew since ({@code slowed}). The code works
 * until {@code validUntil}; the row is kept until {@code expiresAt} so that late polls get an answer.
 */
public record DeviceCode(
        String id,
        String deviceCodeHash,
        String userCodeHash,
        String clientId,
        List<String> scopes,
        String audience,
        Status status,
        Approval approval,
        int intervalSeconds,
        Instant polledAt,
        boolean slowed,
        Instant issuedAt,
        Instant validUntil,
        Instant expiresAt) {

    public DeviceCode {
        scopes = List.copyOf(scopes);
    }

    public enum Status {
        /** Waiting for the user (RFC 8628 §3.5 authorization_pending). */
        PENDING,
        /** The user approved; the next poll gets the tokens. */
        APPROVED,
        /** The user declined (access_denied). */
        DENIED,
        /** Exchanged for tokens: every later poll is invalid_grant. */
        USED,
        /** Past its lifetime and told so once (expired_token); later polls are invalid_grant (Auth0). */
        EXPIRED
    }

    public boolean expired(Instant now) {
        return !now.isBefore(validUntil);
    }

    /**
     * Who approved, the scopes they granted (RBAC applied), and the authorization recorded for them, which the
     * tokens hang from.
     */
    public record Approval(String userId, List<String> scopes, String authorizationId, Instant authTime, String sid) {

        public Approval {
            scopes = List.copyOf(scopes);
        }
    }
}
