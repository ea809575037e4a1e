package dev.latchkey.server.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage the refresh of providers' tokens needs ({@link IdpTokenVault}): a user's tokens at a connection, and a
 * claim on the refresh so that one caller at a time, on any node, spends the provider's refresh token.
 */
public interface IdpTokenStore {

    /** The user's identities at {@code connection}, most recently updated first. */
    List<IdpTokens> tokensOf(String userId, String connection);

    Optional<IdpTokens> tokens(String connection, String subject);

    /**
     * Claims the refresh of the identity until {@code until}, when nobody holds a claim that lasts past {@code now}:
     * of callers racing on any node, exactly one gets true.
     */
    boolean claimRefresh(String connection, String subject, Instant now, Instant until);

    /**
     * Stores the provider's new tokens and ends the claim, only while the claim made until {@code claimedUntil}
     * is still the identity's (a login in between replaced the row, and its tokens are newer): true when stored.
     * A null {@code refreshToken} keeps the one stored (the provider did not rotate it).
     */
    boolean saveRefreshed(String connection, String subject, Instant claimedUntil, Refreshed tokens);

    /** Ends the claim made until {@code claimedUntil}, if it is still the identity's. */
    void releaseClaim(String connection, String subject, Instant claimedUntil);

    /**
     * One identity's provider tokens: {@code expiresAt} is when the access token stops working (null: unknown),
     * {@code refreshClaimedUntil} the end of a refresh in progress (null: none).
     */
    record IdpTokens(String connection, String subject, String userId, String accessToken, String refreshToken,
                     Instant expiresAt, Instant refreshClaimedUntil) {

        @Override
        public String toString() {
            return "IdpTokens[" + connection + ", " + userId + "]";
        }
    }

    /** Tokens a refresh brought, as of {@code at}. */
    record Refreshed(String accessToken, String refreshToken, Long expiresIn, Instant expiresAt, Instant at) {

        @Override
        public String toString() {
            return "Refreshed[" + expiresAt + "]";
        }
    }
}
