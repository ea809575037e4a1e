package dev.latchkey.server.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A refresh token as stored (RFC 6749 §6, Auth0 §4.2): only its SHA-256 digest, the authorization it
 * continues, and its lifetimes. Tokens of one rotating chain share {@code familyId}; a token already
 * exchanged has {@code rotatedAt}. {@code absoluteExpiresAt} is fixed when the family starts and
 * {@code idleExpiresAt} restarts at every exchange; null means no such limit. {@code expiresAt} is when
 * the row may be deleted: a rotating token is kept {@link #REUSE_MEMORY} beyond its idle lifetime (within
 * its absolute one) so that a reuse after its exchange is still recognised, and that is decided when it
 * is stored, so that exchanging it changes no indexed column.
 * <p>
 * Two forms share the table. A row-form token is one row per token: {@code tokenHash} is the digest of its whole
 * value, and an exchange marks it and stores a successor. A family-form token ({@code <lookup>.<secret>},
 * {@link PresentedRefreshToken}) is one row per family: {@code tokenHash} is the digest of the lookup part, the
 * same for every token of the family, {@code currentHash} that of the live token's secret and
 * {@code previousHash} that of the one it replaced, {@code generation} the number of exchanges before the live
 * token; an exchange replaces them in place and is never marked {@code rotatedAt}. A token Latchkey gave out in
 * the family before the previous one, told by its generation ({@link FamilySecrets}), is a reuse.
 */
public record RefreshToken(
        String id,
        String tokenHash,
        String familyId,
        String authorizationId,
        String clientId,
        String userId,
        String audience,
        List<String> scopes,
        String sid,
        boolean rotating,
        Instant createdAt,
        Instant lastUsedAt,
        Instant rotatedAt,
        Instant idleExpiresAt,
        Instant absoluteExpiresAt,
        Instant expiresAt,
        String currentHash,
        String previousHash,
        Integer generation) {

    /** How long an exchanged rotating token is remembered, at least, for reuse detection. */
    public static final Duration REUSE_MEMORY = Duration.ofDays(30);
    /** The expiry stored for what never expires. */
    public static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

    public RefreshToken {
        scopes = List.copyOf(scopes);
    }

    /** A row-form token. */
    public RefreshToken(String id, String tokenHash, String familyId, String authorizationId, String clientId,
                        String userId, String audience, List<String> scopes, String sid, boolean rotating,
                        Instant createdAt, Instant lastUsedAt, Instant rotatedAt, Instant idleExpiresAt,
                        Instant absoluteExpiresAt, Instant expiresAt) {
        this(id, tokenHash, familyId, authorizationId, clientId, userId, audience, scopes, sid, rotating, createdAt,
                lastUsedAt, rotatedAt, idleExpiresAt, absoluteExpiresAt, expiresAt, null, null, null);
    }

    /** One row for the whole family, exchanged in place (see the class comment). */
    public boolean familyForm() {
        return currentHash != null;
    }

    /** When a token with these lifetimes may be deleted (see the class comment). */
    public static Instant keptUntil(boolean rotating, Instant idleExpiresAt, Instant absoluteExpiresAt) {
        Instant idle = rotating && idleExpiresAt != null ? idleExpiresAt.plus(REUSE_MEMORY) : idleExpiresAt;
        return earliest(idle, absoluteExpiresAt);
    }

    /**
     * When a family-form row may be deleted: {@link #REUSE_MEMORY} beyond the live token's idle expiry at least, as
     * for an exchanged row-form token, and stored twice that far so that most exchanges leave it (an indexed
     * column) as it is.
     */
    public static Instant keptUntilInPlace(Instant idleExpiresAt, Instant absoluteExpiresAt) {
        return earliest(idleExpiresAt == null ? null : idleExpiresAt.plus(REUSE_MEMORY).plus(REUSE_MEMORY),
                absoluteExpiresAt);
    }

    /** The end of this token's usefulness, from its idle and absolute lifetimes; null when it has neither. */
    public Instant validUntil() {
        return idleExpiresAt == null && absoluteExpiresAt == null ? null : earliest(idleExpiresAt, absoluteExpiresAt);
    }

    /** The earlier of two expiries, null meaning none; {@link #NEVER} when both are null. */
    public static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b == null ? NEVER : b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }

    public boolean expired(Instant now) {
        return (idleExpiresAt != null && !now.isBefore(idleExpiresAt))
                || (absoluteExpiresAt != null && !now.isBefore(absoluteExpiresAt));
    }
}
