package dev.latchkey.server.token;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;
import dev.latchkey.server.keys.TimeOrderedIds;

import java.time.Instant;

/**
 * A refresh token about to be stored: its value for the client, and what is stored of it. Family, authorization,
 * scope and absolute expiry come from the exchanged token; {@code idleExpiresAt} (null for none) restarts with it
 * (Auth0 §4.2). {@code currentHash} is null for the row form and the digest of the secret part for the family
 * form, whose {@code tokenHash} is the digest of the lookup part (see {@link RefreshToken}).
 */
public record NewRefreshToken(String value, String id, String tokenHash, String currentHash, Integer generation,
                              boolean rotating, Instant idleExpiresAt) {

    /** A row-form token: one row of its own. */
    public static NewRefreshToken generate(boolean rotating, Instant idleExpiresAt) {
        String value = RandomStrings.base64url(32);
        return new NewRefreshToken(value, newId(), SecretHash.of(value), null, null, rotating, idleExpiresAt);
    }

    /** The first token of a family-form row: a new lookup, a new secret. */
    public static NewRefreshToken startFamily(FamilySecrets secrets, boolean rotating, Instant idleExpiresAt) {
        String lookup = RandomStrings.base64url(16);
        String secret = secrets.mint(lookup, 0);
        return new NewRefreshToken(lookup + "." + secret, newId(), PresentedRefreshToken.familyDigest(lookup),
                SecretHash.of(secret), 0, rotating, idleExpiresAt);
    }

    /** The next token of the family-form row {@code presented} names, stored in place: the row's id is not known yet. */
    public static NewRefreshToken nextInFamily(FamilySecrets secrets, PresentedRefreshToken presented, boolean rotating,
                                               Instant idleExpiresAt) {
        int generation = presented.generation() + 1;
        String secret = secrets.mint(presented.lookup(), generation);
        return new NewRefreshToken(presented.lookup() + "." + secret, null, presented.lookupHash(),
                SecretHash.of(secret), generation, rotating, idleExpiresAt);
    }

    public boolean familyForm() {
        return currentHash != null;
    }

    /** This token, stored in place in the row {@code id}. */
    public NewRefreshToken in(String id) {
        return new NewRefreshToken(value, id, tokenHash, currentHash, generation, rotating, idleExpiresAt);
    }

    private static String newId() {
        return TimeOrderedIds.next("rt_", RandomStrings.alphanumeric(24));
    }

    @Override
    public String toString() {
        return "NewRefreshToken[id=" + id + "]";
    }
}
