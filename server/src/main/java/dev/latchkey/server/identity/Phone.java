package dev.latchkey.server.identity;

import java.util.regex.Pattern;

/**
 * A user's phone number and whether it was verified (OIDC Core §5.1 {@code phone_number},
 * {@code phone_verified}).
 */
public record Phone(String number, boolean verified) {

    /**
     * E.164: a plus sign and at most 15 digits, the first not 0. OIDC Core §5.1 recommends E.164;
     * Auth0's Management API requires it.
     */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    public static boolean valid(String number) {
        return E164.matcher(number).matches();
    }
}
