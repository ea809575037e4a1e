package dev.latchkey.server.token;

import dev.latchkey.server.keys.SecretHash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A refresh token as a client presents it, read once: the digest it is found by ({@code lookupHash}), and for the
 * family form ({@code <lookup>.<secret>}, see {@link RefreshToken}) the digest of its secret part and the
 * generation {@link FamilySecrets} made it for. A row-form value has no dot (base64url), so the two never mix.
 * Holds no part of the value but the lookup, which only finds the family: the secret decides.
 */
public final class PresentedRefreshToken {

    /** What a presented token is to the stored one its lookup found. */
    public enum Match {
        /** The live token (a row-form token matched by its whole digest). */
        CURRENT,
        /** The family's previous token, replaced by the last exchange. */
        PREVIOUS,
        /** A token Latchkey gave out in the family before the previous one. */
        OLDER,
        /**
         * Nothing of the stored token: a lookup without a secret Latchkey made for it, a secret of a generation the
         * family has not reached (an exchange the database lost), or a form that does not fit.
         */
        UNRELATED
    }

    private static final String FAMILY_PREFIX = "f.";

    private final String lookup;
    private final String lookupHash;
    private final String secretHash;
    private final int generation;

    private PresentedRefreshToken(String lookup, String lookupHash, String secretHash, int generation) {
        this.lookup = lookup;
        this.lookupHash = lookupHash;
        this.secretHash = secretHash;
        this.generation = generation;
    }

    static PresentedRefreshToken of(String value, FamilySecrets secrets) {
        int dot = value.indexOf('.');
        if (dot < 0) {
            return new PresentedRefreshToken(null, SecretHash.of(value), null, -1);
        }
        String lookup = value.substring(0, dot);
        String secret = value.substring(dot + 1);
        return new PresentedRefreshToken(lookup, familyDigest(lookup), SecretHash.of(secret),
                secrets.generationOf(lookup, secret));
    }

    /**
     * What a family-form row is found by: {@code f.} and the base64url SHA-256 of the lookup. A row-form token is
     * found by the hex SHA-256 of its whole value, which has no dot: no value presented in the row form, to this
     * release or to an earlier one, can name a family-form row (a family's lookup alone is not a token).
     */
    static String familyDigest(String lookup) {
        return FAMILY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(SecretHash.digest(lookup));
    }

    /** The digest the stored token is found by. */
    public String lookupHash() {
        return lookupHash;
    }

    /** The digest of the secret part; null for a row-form value. */
    public String secretHash() {
        return secretHash;
    }

    public boolean familyForm() {
        return secretHash != null;
    }

    /** The lookup part, which the family's next token keeps. */
    String lookup() {
        return lookup;
    }

    /** The generation the secret was made for; -1 for a row-form value or a secret Latchkey did not make. */
    int generation() {
        return generation;
    }

    public Match against(RefreshToken stored) {
        if (!stored.familyForm()) {
            return familyForm() ? Match.UNRELATED : Match.CURRENT;
        }
        if (!familyForm() || generation < 0 || stored.generation() == null) {
            return Match.UNRELATED;
        }
        int live = stored.generation();
        if (generation == live) {
            return same(secretHash, stored.currentHash()) ? Match.CURRENT : Match.UNRELATED;
        }
        if (generation == live - 1) {
            return same(secretHash, stored.previousHash()) ? Match.PREVIOUS : Match.UNRELATED;
        }
        return generation < live - 1 ? Match.OLDER : Match.UNRELATED;
    }

    private static boolean same(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
                b.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return familyForm() ? "PresentedRefreshToken[family form]" : "PresentedRefreshToken[row form]";
    }
}
