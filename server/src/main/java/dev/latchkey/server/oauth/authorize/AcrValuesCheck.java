package dev.latchkey.server.oauth.authorize;

import java.util.LinkedHashSet;
import java.util.List;

// Rules: acr_values is a space-separated list in order of preference (OIDC Core §3.1.2.1); it asks
//        for the acr claim as a voluntary claim, so values Latchkey cannot satisfy do not fail the
//        request (AuthenticationContextClass picks what the ID token says); at most 1024 characters.
final class AcrValuesCheck implements AuthorizeCheck {

    static final int MAX_LENGTH = 1024;

    @Override
    public void check(AuthorizeContext context) {
        String acrValues = context.param("acr_values");
        if (acrValues == null || acrValues.isBlank()) {
            return;
        }
        if (acrValues.length() > MAX_LENGTH) {
            throw AuthorizeException.invalidRequest("acr_values must be at most " + MAX_LENGTH + " characters");
        }
        context.acrValues = List.copyOf(new LinkedHashSet<>(List.of(acrValues.trim().split(" +"))));
    }
}
