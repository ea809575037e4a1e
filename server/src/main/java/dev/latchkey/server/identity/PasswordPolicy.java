package dev.latchkey.server.identity;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The password policy of a database connection, from its options in Auth0's names: {@code passwordPolicy}
 * ({@code none}: 1 character; {@code low}: 6; {@code fair}: 8 with lower case, upper case and digits;
 * {@code good}: 8 with three of lower case, upper case, digits and other characters; {@code excellent}: 10
 * with three of the four and no character more than twice in a row) and
 * {@code password_complexity_options.min_length}, which raises or lowers the length. Whatever the policy, at
 * most {@value #MAX_LENGTH} characters (the hash cost grows with the input). Without options the policy is
 * {@code good} with {@value #MIN_LENGTH} characters, the default connection's.
 */
public record PasswordPolicy(Level level, int minLength) {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    /** Auth0's words for a password the policy refuses. */
    public static final String TOO_WEAK = "PasswordStrengthError: Password is too weak";
    public static final PasswordPolicy DEFAULT = new PasswordPolicy(Level.GOOD, MIN_LENGTH);

    /** Auth0's policy names, with the length each asks for. */
    public enum Level {
        NONE(1), LOW(6), FAIR(8), GOOD(8), EXCELLENT(10);

        private final int length;

        Level(int length) {
            this.length = length;
        }

        public String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Level> of(String value) {
            for (Level level : values()) {
                if (level.optionValue().equals(value)) {
                    return Optional.of(level);
                }
            }
            return Optional.empty();
        }
    }

    /** The policy a database connection's options set (Auth0: no {@code passwordPolicy} means {@code none}). */
    public static PasswordPolicy of(Map<String, Object> options) {
        Level level = options.get("passwordPolicy") instanceof String name ? Level.of(name).orElse(Level.GOOD)
                : options.containsKey("passwordPolicy") ? Level.NONE : Level.GOOD;
        int length = level.length;
        if (options.get("password_complexity_options") instanceof Map<?, ?> complexity
                && complexity.get("min_length") instanceof Number min) {
            length = Math.max(1, Math.min(MAX_LENGTH, min.intValue()));
        }
        return new PasswordPolicy(level, length);
    }

    /** What is wrong with {@code password} under the default policy, if anything. */
    public static Optional<String> violation(String password) {
        return DEFAULT.check(password);
    }

    /** What is wrong with {@code password}, if anything; never contains the password. */
    public Optional<String> check(String password) {
        if (password == null || password.isEmpty()) {
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
        int run = 0;
        int previous = -1;
        int longestRun = 0;
        for (int i = 0; i < password.length(); ) {
            int c = password.codePointAt(i);
            i += Character.charCount(c);
            run = c == previous ? run + 1 : 1;
            longestRun = Math.max(longestRun, run);
            previous = c;
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
        boolean weak = switch (level) {
            case NONE, LOW -> false;
            case FAIR -> !(lower && upper && digit);
            case GOOD -> classes < 3;
            case EXCELLENT -> classes < 3 || longestRun > 2;
        };
        return length < minLength || weak ? Optional.of(TOO_WEAK) : Optional.empty();
    }

    /** The rule in words, for pages that ask for a new password. */
    public static String describe() {
        return "At least " + MIN_LENGTH + " characters, with at least three of: lower case letters, upper case "
                + "letters, numbers, special characters.";
    }
}
