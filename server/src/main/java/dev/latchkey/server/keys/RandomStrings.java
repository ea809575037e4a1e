package dev.latchkey.server.keys;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers and secrets, from one thread-safe {@link SecureRandom}. */
public final class RandomStrings {

    private static final char[] ALPHANUMERIC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private RandomStrings() {
    }

    public static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.get().nextBytes(bytes);
        return bytes;
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String base64url(int bytes) {
        return BASE64URL.encodeToString(bytes(bytes));
    }

    public static String alphanumeric(int length) {
        SecureRandom random = RANDOM.get();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHANUMERIC[random.nextInt(ALPHANUMERIC.length)];
        }
        return new String(out);
    }

    public static String hex(int length) {
        SecureRandom random = RANDOM.get();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = HEX[random.nextInt(16)];
        }
        return new String(out);
    }

    /** Client ids look like Auth0's: 32 alphanumeric characters. */
    public static String clientId() {
        return alphanumeric(32);
    }

    /** Client secrets: 48 random bytes (384 bits), 64 base64url characters. */
    public static String clientSecret() {
        return base64url(48);
    }
}
