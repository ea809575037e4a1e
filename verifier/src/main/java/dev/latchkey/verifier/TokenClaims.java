package dev.latchkey.verifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.latchkey.verifier.TokenVerificationException.Reason.MALFORMED;

/**
 * The claims the verifier checks, read from the parsed claims set with their types enforced (RFC 7519 §4.1,
 * RFC 9068 §2.2): strings for {@code iss} and {@code sub}, a string or string array for {@code aud}, numbers
 * for the times, a space-separated string for {@code scope}, a string array for {@code permissions}. A claim of
 * the wrong type makes the token malformed. Absent claims are null (or empty) here; {@link ClaimsCheck} decides
 * which are required.
 */
record TokenClaims(Map<String, Object> members, String issuer, String subject, List<String> audience,
                   Long expiresAt, Long notBefore, Long issuedAt, String scope, Set<String> permissions) {

    static TokenClaims of(Map<String, Object> members) throws TokenVerificationException {
        return new TokenClaims(members, string(members, "iss"), string(members, "sub"),
                strings(members, "aud", true), seconds(members, "exp"), seconds(members, "nbf"),
                seconds(members, "iat"), string(members, "scope"),
                Set.copyOf(strings(members, "permissions", false)));
    }

    private static String string(Map<String, Object> members, String name) throws TokenVerificationException {
        Object value = members.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw malformed(name);
    }

    /** RFC 7519 §4.1.3: {@code aud} may also be a single string. */
    private static List<String> strings(Map<String, Object> members, String name, boolean singleAllowed)
            throws TokenVerificationException {
        Object value = members.get(name);
        if (value == null) {
            return List.of();
        }
        if (singleAllowed && value instanceof String single) {
            return List.of(single);
        }
        if (!(value instanceof List<?> list)) {
            throw malformed(name);
        }
        List<String> strings = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw malformed(name);
            }
            strings.add(s);
        }
        return List.copyOf(strings);
    }

    /** RFC 7519 §2 NumericDate: seconds since the epoch; fractions are dropped, huge values saturate. */
    private static Long seconds(Map<String, Object> members, String name) throws TokenVerificationException {
        Object value = members.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw malformed(name);
    }

    private static TokenVerificationException malformed(String claim) {
        return new TokenVerificationException(MALFORMED, "The access token's " + claim + " claim has the wrong type");
    }
}
