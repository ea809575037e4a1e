package dev.latchkey.server.management;

import java.util.Set;

/** Who is calling the Management API, from its verified access token. */
public record ManagementCaller(String subject, String clientId, Set<String> scopes) {

    public boolean hasAny(Set<String> required) {
        return required.stream().anyMatch(scopes::contains);
    }

    /** A client calling for itself (client credentials, {@code sub} is {@code <client_id>@clients}), not a user. */
    public boolean isClient() {
        return clientId != null && (clientId + "@clients").equals(subject);
    }
}
