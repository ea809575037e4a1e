package dev.latchkey.server.oauth.authorize;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

// Rules: prompt holds none, login, consent or select_account, and none stands alone (OIDC Core
//        §3.1.2.1); max_age is a non-negative number of seconds (§3.1.2.1), at most 10 years;
//        login_hint, a hint only, is ignored above 255 characters.
final class PromptCheck implements AuthorizeCheck {

    private static final Set<String> VALUES = Set.of("none", "login", "consent", "select_account");

    @Override
    public void check(AuthorizeContext context) {
        String prompt = context.param("prompt");
        if (prompt != null) {
            Set<String> values = new LinkedHashSet<>(List.of(prompt.trim().split(" +")));
            for (String value : values) {
                if (!VALUES.contains(value)) {
                    throw AuthorizeException.invalidRequest("Unsupported prompt value: " + value);
                }
            }
            if (values.contains("none") && values.size() > 1) {
                throw AuthorizeException.invalidRequest("prompt=none cannot be combined with other values");
            }
            context.prompt = List.copyOf(values);
        }
        String maxAge = context.param("max_age");
        if (maxAge != null) {
            try {
                context.maxAge = Long.parseLong(maxAge);
            } catch (NumberFormatException e) {
                throw AuthorizeException.invalidRequest("max_age must be a whole number of seconds");
            }
            if (context.maxAge < 0) {
                throw AuthorizeException.invalidRequest("max_age must not be negative");
            }
            if (context.maxAge > CheckedAuthorization.MAX_AGE_LIMIT) {
                throw AuthorizeException.invalidRequest("max_age must be at most " + CheckedAuthorization.MAX_AGE_LIMIT
                        + " seconds (10 years)");
            }
        }
        String loginHint = context.param("login_hint");
        if (loginHint != null && loginHint.length() <= 255) {
            context.loginHint = loginHint;
        }
    }
}
