package dev.latchkey.server.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The storage refresh tokens need: one indexed lookup by digest, and single-winner exchanges, in both forms. */
public interface RefreshTokenStore {

    /**
     * Stores a token; when it starts a new family, the user's families for the client beyond the
     * newest {@code maxFamilies} are deleted (Auth0: at most 200 active per user and application).
     */
    void create(RefreshToken token, int maxFamilies);

    Optional<RefreshToken> find(String tokenHash);

    Optional<RefreshToken> findById(String id);

    /**
     * Marks a rotating token (as just read) exchanged, atomically: exactly one caller gets {@link Exchange.First};
     * a later caller gets {@link Exchange.WithinLeeway} when the token was exchanged less than
     * {@code leewaySeconds} ago and no token of its family was exchanged after it, and
     * {@link Exchange.Reused} otherwise. The exchanged row is kept at least until {@code reuseMemoryUntil}
     * (within its absolute lifetime) so that reuse is recognised.
     */
    Exchange rotate(RefreshToken presented, Instant now, int leewaySeconds, Instant reuseMemoryUntil);

    /**
     * The usual exchange in one step: when the client's token with this digest is rotating, not yet
     * exchanged and within its lifetimes, marks it exchanged (kept as {@link #rotate} keeps it) and stores {@code successor} in its family, atomically:
     * exactly one caller gets the exchanged token. Empty for anything else (unknown, another client's,
     * expired, not rotating, already exchanged), which {@link #find} and {@link #rotate} then tell apart.
     */
    Optional<RefreshToken> exchange(String tokenHash, String clientId, Instant now, Instant reuseMemoryUntil,
                                    NewRefreshToken successor);

    /**
     * The family-form exchange (see {@link RefreshToken}): when {@code presented} is the live token of its family,
     * rotating, the client's and within its lifetimes, its row takes {@code successor}'s secret in place, the
     * presented one kept as the previous, atomically: exactly one caller gets the row, as found and now exchanged.
     * Empty for anything else, which {@link #find} and {@link PresentedRefreshToken#against} then tell apart.
     */
    Optional<RefreshToken> exchangeInPlace(PresentedRefreshToken presented, String clientId, Instant now,
                                           NewRefreshToken successor);

    /**
     * The token a client's value names, in either form: a family-form value only while it is the family's live
     * token (an earlier one is no token any longer), a row-form value whatever its state.
     */
    default Optional<RefreshToken> findPresented(PresentedRefreshToken presented) {
        return find(presented.lookupHash())
                .filter(token -> presented.against(token) == PresentedRefreshToken.Match.CURRENT);
    }

    /** A non-rotating token was used: restart its idle lifetime. */
    void touch(String id, Instant now, Instant idleExpiresAt, Instant expiresAt);

    /** Deletes a family's tokens but {@code exceptId} (null: all of them). */
    void deleteFamily(String familyId, String exceptId);

    /** Deletes the user's non-rotating tokens for the client and audience (null: none, /userinfo). */
    void deleteNonRotating(String userId, String clientId, String audience);

    /** Deletes one token; true when it existed. */
    boolean delete(String id);

    /** The user's active tokens (not yet exchanged), newest first, at most {@code limit}. */
    default List<RefreshToken> activeOfUser(String userId, int limit) {
        return activeOfUser(userId, null, limit);
    }

    /** As {@link #activeOfUser(String, int)}, after the token {@code afterId} (none: from the newest). */
    List<RefreshToken> activeOfUser(String userId, String afterId, int limit);

    int deleteExpired(Instant now, int batch);

    sealed interface Exchange {
        RefreshToken token();

        record First(RefreshToken token) implements Exchange {
        }

        record WithinLeeway(RefreshToken token) implements Exchange {
        }

        record Reused(RefreshToken token) implements Exchange {
        }
    }
}
