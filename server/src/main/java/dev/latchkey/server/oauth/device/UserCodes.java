package dev.latchkey.server.oauth.device;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * User codes as Auth0 shapes them ({@code QTZL-MCBW}): eight letters of an alphabet with no vowels (no words)
 * and none of the letters people confuse, in two groups of four (RFC 8628 §6.1). Entry is case-insensitive,
 * with or without the dash and spaces. 20^8 ≈ 2.56 × 10^10 codes (34.6 bits): guessing is made infeasible by
 * the short lifetime and the throttle on wrong entries, not by the size alone (RFC 8628 §5.1).
 */
public final class UserCodes {

    /** RFC 8628 §6.1's example alphabet: the consonants without Y, 20 letters. */
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;
    /** How many user codes there are. */
    public static final double SPACE = Math.pow(ALPHABET.length(), LENGTH);
    /** The longest entry looked at: the code, its dash and some spaces. */
    static final int MAX_ENTRY = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {
    }

    /** A new code, {@code XXXX-XXXX}. */
    public static String generate() {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** What the user typed as a code in its canonical {@code XXXX-XXXX} form; empty when it cannot be one. */
    public static Optional<String> canonical(String typed) {
        if (typed == null || typed.length() > MAX_ENTRY) {
            return Optional.empty();
        }
        StringBuilder letters = new StringBuilder(LENGTH + 1);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0 || letters.length() == LENGTH + 1) {
                return Optional.empty();
            }
            if (letters.length() == LENGTH / 2) {
                letters.append('-');
            }
            letters.append(c);
        }
        return letters.length() == LENGTH + 1 ? Optional.of(letters.toString()) : Optional.empty();
    }
}
