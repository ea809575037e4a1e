package dev.latchkey.server.token;

import dev.latchkey.server.keys.SecretHash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A refresh token as a client presents it, read once: the digest it is found by ({@code lookupHash}), and for the
 * family form ({@code <lookup>.<secret>}, see {@link RefreshToken}) the digest of its secret part. A row-form
 * value has no dot (base64url), so the two never mix. Holds no part of the value but the lookup, which only
 * finds the family: the secret decides.
 */
public final class PresentedRefreshToken {

    /** What a presented token is to the stored one its lookup found. */
    public enum Match {
        /** The live token (a row-form token matched by its whole digest). */
        CURRENT,
        /** The family's previous token, replaced by the last exchange. */
        PREVIOUS,
        /** Another secret with the family's lookup: a token of the family from before the previous one. */
        OLDER,
        /** Nothing of the stored token: a lookup without a well-formed secret, or a form that does not fit. */
        UNRELATED
    }

    private static final String FAMILY_PREFIX = "f.";
    /** 32 random bytes in base64url, as {@link NewRefreshToken} makes the secret part. */
    private static final Pattern SECRET_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** Stands for the digest of a secret that cannot be one: it matches no stored digest (those are hex). */
    private static final String MALFORMED = "malformed";

    private final String lookup;
    private final String lookupHash;
    private final String secretHash;

    private PresentedRefreshToken(String lookup, String lookupHash, String secretHash) {
        this.lookup = lookup;
        this.lookupHash = lookupHash;
        this.secretHash = secretHash;
    }

    public static PresentedRefreshToken of(String value) {
        int dot = value.indexOf('.');
        if (dot < 0) {
            return new PresentedRefreshToken(null, SecretHash.of(value), null);
        }
        String lookup = value.substring(0, dot);
        String secret = value.substring(dot + 1);
        // Only a secret of the shape Latchkey makes can have been a token of the family: a truncated or empty one
        // is nothing, never a reuse.
        return new PresentedRefreshToken(lookup, familyDigest(lookup),
                SECRET_SHAPE.matcher(secret).matches() ? SecretHash.of(secret) : MALFORMED);
    }

    /**
     * What a family-form row is found by: {@code f.} and the base64url SHA-256 of the lookup. A row-form token is
     * found by the hex SHA-256 of its whole value, which has no dot: no value presented in the row form, to this
     * release or to an earlier one, can name a family-form row (a family's lookup alone is not a token).
     */
    static String familyDigest(String lookup) {
        return FAMILY_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(HexFormat.of().parseHex(SecretHash.of(lookup)));
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

    public Match against(RefreshToken stored) {
        if (!stored.familyForm()) {
            return familyForm() ? Match.UNRELATED : Match.CURRENT;
        }
        if (!familyForm() || MALFORMED.equals(secretHash)) {
            return Match.UNRELATED;
        }
        if (same(secretHash, stored.currentHash())) {
            return Match.CURRENT;
        }
        return same(secretHash, stored.previousHash()) ? Match.PREVIOUS : Match.OLDER;
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
