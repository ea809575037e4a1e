package dev.latchkey.server.token;

import dev.latchkey.server.keys.MasterKey;
import dev.latchkey.server.keys.RandomStrings;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * The secret part of a family-form refresh token (see {@link RefreshToken}): its generation in the family (the
 * number of exchanges before it), random bytes, and an HMAC-SHA256 over the family's lookup, the generation and
 * those bytes, under a key derived from the master key. Only digests are stored, and the live token must still
 * match its digest; the HMAC tells the rest apart without keeping every token's digest: a token Latchkey gave out
 * in the family an exchange or more before the previous one (a reuse), a secret made up by someone who knows only
 * the lookup (nothing), and a token from an exchange the database lost in a crash (a later generation: nothing).
 */
public final class FamilySecrets {

    private static final String PURPOSE = "latchkey refresh token family secrets";
    private static final int GENERATION = 4;
    private static final int RANDOM = 12;
    private static final int TAG = 16;
    /** A secret's length in base64url: 32 bytes. */
    static final int LENGTH = 43;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public FamilySecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public static FamilySecrets of(MasterKey masterKey) {
        return new FamilySecrets(masterKey.derive(PURPOSE));
    }

    /** A new secret for the token of {@code generation} in the family {@code lookup} names. */
    String mint(String lookup, int generation) {
        byte[] secret = new byte[GENERATION + RANDOM + TAG];
        ByteBuffer.wrap(secret).putInt(generation);
        System.arraycopy(RandomStrings.bytes(RANDOM), 0, secret, GENERATION, RANDOM);
        System.arraycopy(tag(lookup, secret), 0, secret, GENERATION + RANDOM, TAG);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** The generation Latchkey made {@code secret} for in the family {@code lookup} names; -1 when it did not make it. */
    int generationOf(String lookup, String secret) {
        if (secret.length() != LENGTH) {
            return -1;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(secret);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        byte[] expected = tag(lookup, bytes);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, GENERATION + RANDOM, bytes.length))) {
            return -1;
        }
        int generation = ByteBuffer.wrap(bytes).getInt();
        return generation < 0 ? -1 : generation;
    }

    public PresentedRefreshToken present(String value) {
        return PresentedRefreshToken.of(value, this);
    }

    private byte[] tag(String lookup, byte[] secret) {
        Mac mac = macs.get();
        mac.update(lookup.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(secret, 0, GENERATION + RANDOM);
        return Arrays.copyOf(mac.doFinal(), TAG);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
