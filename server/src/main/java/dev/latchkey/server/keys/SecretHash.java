package dev.latchkey.server.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests of server-generated, high-entropy secrets (client secrets, opaque tokens).
 * A password KDF would add milliseconds per token request and no security: the secrets carry
 * 256 bits or more of entropy, so a fast hash cannot be brute-forced.
 */
public final class SecretHash {

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: the provider look-up of {@code getInstance} cost more than hashing a token. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private SecretHash() {
    }

    public static String of(String secret) {
        return HEX.formatHex(digest(secret));
    }

    /** Constant-time comparison of {@code presented} against a stored hex digest. */
    public static boolean matches(String presented, String storedHex) {
        if (presented == null || storedHex == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HEX.parseHex(storedHex);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(digest(presented), expected);
    }

    /** The SHA-256 of {@code secret}'s UTF-8 bytes, as bytes. */
    public static byte[] digest(String secret) {
        return SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
    }
}
