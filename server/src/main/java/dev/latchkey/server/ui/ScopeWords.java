package dev.latchkey.server.ui;

import dev.latchkey.server.registry.ApiScope;
import dev.latchkey.server.registry.ResourceServer;

import java.util.ArrayList;
import java.util.List;

/** Scopes in words for the consent page: the OpenID Connect ones (OIDC Core §5.4) and the API's own. */
final class ScopeWords {

    private ScopeWords() {
    }

    static List<ConsentView.ScopeLine> of(List<String> scopes, ResourceServer api) {
        List<ConsentView.ScopeLine> lines = new ArrayList<>();
        for (String scope : scopes) {
            switch (scope) {
                case "openid" -> lines.add(new ConsentView.ScopeLine("Know who you are",
                        "Confirm your identity with your user ID"));
                case "profile" -> lines.add(new ConsentView.ScopeLine("Your profile",
                        "Your name, nickname and picture"));
                case "email" -> lines.add(new ConsentView.ScopeLine("Your email address",
                        "Your email address and whether it is verified"));
                case "address" -> lines.add(new ConsentView.ScopeLine("Your address", "Your postal address"));
                case "phone" -> lines.add(new ConsentView.ScopeLine("Your phone number",
                        "Your phone number and whether it is verified"));
                case "offline_access" -> lines.add(new ConsentView.ScopeLine("Stay signed in",
                        "Keep access to what you allowed when you are not using the application"));
                default -> lines.add(new ConsentView.ScopeLine(scope, description(scope, api)));
            }
        }
        return lines;
    }

    private static String description(String scope, ResourceServer api) {
        if (api != null) {
            for (ApiScope defined : api.scopes()) {
                if (defined.value().equals(scope) && defined.description() != null && !defined.description().isBlank()) {
                    return defined.description();
                }
            }
            return "Permission on " + api.name();
        }
        return "";
    }
}
