package dev.latchkey.server.identity;

import java.util.Optional;

/**
 * The password policy of database connections, like Auth0's "good" policy: at least
 * {@value #MIN_LENGTH} characters with at least three of lower case, upper case, digits and other
 * characters; at most {@value #MAX_LENGTH} characters (the hash cost grows with the input).
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    /** Auth0's words for a password the policy refuses. */
    public static final String TOO_WEAK = "PasswordStrengthError: Password is too weak";

    private PasswordPolicy() {
    }

    /** What is wrong with {@code password}, if anything; never contains the password. */
    public static Optional<String> violation(String password) {
        if (password == null) {
            return Optional.of(TOO_WEAK);
        }
        int length = password.codePointCount(0, password.length());
        if (length > MAX_LENGTH) {
            return Optional.of("PasswordStrengthError: Password is too long (at most " + MAX_LENGTH + " characters)");
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int i = 0; i < password.length(); ) {
            int c = password.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                other = true;
            }
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        if (length < MIN_LENGTH || classes < 3) {
            return Optional.of(TOO_WEAK);
        }
        return Optional.empty();
    }

    /** The rule in words, for pages that ask for a new password. */
    public static String describe() {
        return "At least " + MIN_LENGTH + " characters, with at least three of: lower case letters, upper case "
                + "letters, numbers, special characters.";
    }
}
