package dev.latchkey.server.registry;

import java.time.Instant;
import java.util.List;

/** Permission for a client to obtain tokens for one API, with at most these scopes. */
public record ClientGrant(String id, String clientId, String audience, List<String> scope, Instant createdAt) {
    public ClientGrant {
        scope = List.copyOf(scope);
    }
}
