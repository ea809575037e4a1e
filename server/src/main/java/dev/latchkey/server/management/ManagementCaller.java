package dev.latchkey.server.management;

import java.util.Set;

/** Who is calling the Management API, from its verified access token. */
public record ManagementCaller(String subject, String clientId, Set<String> scopes) {

    public boolean hasAny(Set<String> required) {
        return required.stream().anyMatch(scopes::contains);
    }
}
